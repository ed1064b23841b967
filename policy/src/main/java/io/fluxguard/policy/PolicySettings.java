package io.fluxguard.policy;

import io.fluxguard.policy.lists.ListSettings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code policy:} section: how each source acts, the operator's rules in the file, the list
 * subscriptions, client groups, and how long detections last.
 *
 * @param modes the mode of each source but the lists (which have their own)
 * @param allow names never blocked (with the names under them)
 * @param deny names always blocked (with the names under them)
 * @param lists the list subscriptions, in order
 * @param listCheckInterval how often list files are checked for changes
 * @param clientGroups client groups, most specific network first when they overlap
 * @param detectionExpiry how long a detection lasts after the last answer that confirmed it
 */
public record PolicySettings(
    Map<Source, Mode> modes,
    List<String> allow,
    List<String> deny,
    List<ListSettings> lists,
    Duration listCheckInterval,
    List<ClientGroup> clientGroups,
    Duration detectionExpiry) {

  public static final PolicySettings DEFAULTS =
      new PolicySettings(defaultModes(), List.of(), List.of(), List.of(), Duration.ofSeconds(10), List.of(), Duration.ofDays(7));

  public PolicySettings {
    modes = Map.copyOf(modes);
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    lists = List.copyOf(lists);
    clientGroups = List.copyOf(clientGroups);
  }

  /** Allow, deny and detections enforced; the flux verdict enforced, suspicious monitored. */
  public static Map<Source, Mode> defaultModes() {
    Map<Source, Mode> m = new EnumMap<>(Source.class);
    m.put(Source.ALLOW, Mode.ENFORCE);
    m.put(Source.DENY, Mode.ENFORCE);
    m.put(Source.LISTS, Mode.ENFORCE);
    m.put(Source.DETECTIONS, Mode.ENFORCE);
    m.put(Source.FLUX, Mode.ENFORCE);
    m.put(Source.SUSPICIOUS, Mode.MONITOR);
    return m;
  }

  public Mode mode(Source source) {
    return modes.getOrDefault(source, Mode.OFF);
  }
}
