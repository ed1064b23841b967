package io.fluxguard.policy.lists;

import io.fluxguard.policy.Action;
import io.fluxguard.policy.Mode;
import java.nio.file.Path;

/**
 * One list subscription ({@code policy.lists.<name>} in the configuration).
 *
 * @param name the list's name, used in logs, metrics tags and decisions
 * @param path the file
 * @param format its format ({@link ListFormat#AUTO} to detect)
 * @param mode enforce, monitor or off
 * @param action what its entries do (RPZ entries carry their own)
 */
public record ListSettings(String name, Path path, ListFormat format, Mode mode, Action action) {}
