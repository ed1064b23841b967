package io.fluxguard.policy.lists;

import io.fluxguard.policy.Rule;
import io.fluxguard.policy.match.AddressIndex;
import io.fluxguard.policy.match.NameIndex;
import java.time.Instant;
import java.util.List;

/**
 * One list as loaded: its name and address entries (values index {@link #rules()}), when it was
 * read, and what was wrong with it.
 *
 * @param settings the subscription
 * @param format the format it was read as
 * @param names name entries
 * @param addresses address entries
 * @param rules the rules the entries refer to
 * @param problems lines skipped, each "file:line: reason" (the first ones)
 * @param skipped how many lines were skipped in all
 * @param loadedAt when it was read
 * @param modified the file's modification time when read
 * @param size the file's size when read
 */
public record LoadedList(
    ListSettings settings,
    ListFormat format,
    NameIndex names,
    AddressIndex addresses,
    Rule[] rules,
    List<String> problems,
    int skipped,
    Instant loadedAt,
    long modified,
    long size) {

  public String name() {
    return settings.name();
  }

  public int entries() {
    return names.entries() + addresses.entries();
  }
}
