package io.fluxguard.policy.lists;

import io.fluxguard.policy.Action;
import io.fluxguard.policy.Rule;
import io.fluxguard.policy.Source;
import io.fluxguard.policy.match.AddressIndex;
import io.fluxguard.policy.match.NameIndex;
import io.fluxguard.policy.match.NameMatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a list file in any {@link ListFormat} into a {@link LoadedList}. A line that cannot be
 * used is skipped and reported with its file and line; a file that cannot be read, or an RPZ zone
 * that does not parse, fails the whole list ({@link ListLoadException}) so the caller keeps the
 * copy it had.
 */
public final class ListReader {
  static final int MAX_PROBLEMS_KEPT = 20;
  private static final Set<String> HOSTS_SKIPPED =
      Set.of("localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
          "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
          "ip6-allhosts", "0.0.0.0");

  private ListReader() {}

  public static LoadedList read(ListSettings settings) throws ListLoadException {
    Path path = settings.path();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new ListLoadException(path + ": cannot read: " + e.getMessage(), e);
    }
    ListFormat format = settings.format() == ListFormat.AUTO ? detect(path) : settings.format();
    Collector c = new Collector(settings, path, estimateEntries(attributes.size()));
    if (format == ListFormat.RPZ) {
      RpzReader.read(path, c);
    } else {
      try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          switch (format) {
            case DOMAINS -> domainLine(line, number, c);
            case HOSTS -> hostsLine(line, number, c);
            case ADBLOCK -> adblockLine(line, number, c);
            case ADDRESSES -> addressLine(line, number, c);
            default -> throw new IllegalStateException(format.key());
          }
        }
      } catch (IOException e) {
        throw new ListLoadException(path + ": cannot read: " + e.getMessage(), e);
      }
    }
    return c.build(format, attributes.lastModifiedTime().toMillis(), attributes.size());
  }

  private static int estimateEntries(long bytes) {
    return (int) Math.min(4_000_000, Math.max(16, bytes / 20));
  }

  /** The format from the file name or, failing that, its first meaningful lines. */
  static ListFormat detect(Path path) throws ListLoadException {
    String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (file.endsWith(".rpz") || file.endsWith(".zone") || file.endsWith(".db")) {
      return ListFormat.RPZ;
    }
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int seen = 0;
      while ((line = in.readLine()) != null && seen < 50) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        seen++;
        if (t.startsWith("$ORIGIN") || t.startsWith("$TTL") || t.contains(" SOA ") || t.contains("\tSOA\t")) {
          return ListFormat.RPZ;
        }
        if (t.startsWith("||") || t.startsWith("@@") || t.startsWith("!") || t.startsWith("[Adblock")) {
          return ListFormat.ADBLOCK;
        }
        String[] w = t.split("\\s+");
        if (looksLikeAddress(w[0])) {
          return w.length > 1 && !w[1].startsWith("#") ? ListFormat.HOSTS : ListFormat.ADDRESSES;
        }
        return ListFormat.DOMAINS;
      }
    } catch (IOException e) {
      throw new ListLoadException(path + ": cannot read: " + e.getMessage(), e);
    }
    return ListFormat.DOMAINS;
  }

  private static boolean looksLikeAddress(String word) {
    return word.indexOf(':') >= 0 || word.matches("[0-9./]+");
  }

  private static String withoutComment(String line) {
    int hash = line.indexOf('#');
    return (hash < 0 ? line : line.substring(0, hash)).strip();
  }

  private static void domainLine(String line, int number, Collector c) {
    String t = withoutComment(line);
    if (t.isEmpty()) {
      return;
    }
    if (t.startsWith("*.")) {
      c.name(t.substring(2), NameMatch.BELOW, c.listRule(), number);
    } else {
      c.name(t, NameMatch.SUBTREE, c.listRule(), number);
    }
  }

  private static void hostsLine(String line, int number, Collector c) {
    String t = withoutComment(line);
    if (t.isEmpty()) {
      return;
    }
    String[] w = t.split("\\s+");
    if (w.length < 2) {
      c.problem(number, "expected an address and at least one name");
      return;
    }
    for (int i = 1; i < w.length; i++) {
      if (!HOSTS_SKIPPED.contains(w[i].toLowerCase(Locale.ROOT))) {
        c.name(w[i], NameMatch.EXACT, c.listRule(), number);
      }
    }
  }

  private static void adblockLine(String line, int number, Collector c) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("!") || t.startsWith("#") || t.startsWith("[")) {
      return;
    }
    boolean exception = t.startsWith("@@");
    if (exception) {
      t = t.substring(2);
    }
    int dollar = t.indexOf('$');
    String options = dollar < 0 ? "" : t.substring(dollar + 1);
    if (dollar >= 0) {
      t = t.substring(0, dollar);
    }
    // Only whole-domain rules mean something to DNS: ||name^ with no options but "important".
    if (!t.startsWith("||") || !t.endsWith("^") || !(options.isEmpty() || options.equals("important"))) {
      c.skipQuietly();
      return;
    }
    String name = t.substring(2, t.length() - 1);
    if (name.startsWith("*.")) {
      name = name.substring(2);
    }
    c.name(name, NameMatch.SUBTREE, exception ? c.rule(Action.PASSTHRU) : c.listRule(), number);
  }

  private static void addressLine(String line, int number, Collector c) {
    String t = withoutComment(line);
    if (t.isEmpty()) {
      return;
    }
    c.address(t.split("\\s+")[0], c.listRule(), number);
  }

  /** Checks and lower-cases a list entry's name; null when it is not a host name. */
  static String normalise(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty() || n.length() > 253) {
      return null;
    }
    int labelStart = 0;
    for (int i = 0; i <= n.length(); i++) {
      char ch = i < n.length() ? n.charAt(i) : '.';
      if (ch == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          return null;
        }
        labelStart = i + 1;
      } else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) {
        return null;
      }
    }
    return n.toLowerCase(Locale.ROOT);
  }

  /** Gathers one list's entries and rules, and the lines it skipped. */
  static final class Collector {
    private final ListSettings settings;
    private final Path path;
    private final NameIndex.Builder names;
    private final AddressIndex.Builder addresses;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<Rule, Integer> ruleIds = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final int listRule;
    private int skipped;

    Collector(ListSettings settings, Path path, int expected) {
      this.settings = settings;
      this.path = path;
      this.names = new NameIndex.Builder(expected);
      this.addresses = new AddressIndex.Builder(16);
      this.listRule = rule(settings.action());
    }

    int listRule() {
      return listRule;
    }

    String listName() {
      return settings.name();
    }

    int rule(Action action) {
      return rule(Rule.of(Source.LISTS, settings.name(), action));
    }

    int rule(Rule rule) {
      return ruleIds.computeIfAbsent(rule, r -> {
        rules.add(r);
        return rules.size() - 1;
      });
    }

    void name(String text, NameMatch match, int rule, int line) {
      String n = normalise(text);
      if (n == null) {
        problem(line, "not a domain name: \"" + text + "\"");
        return;
      }
      names.add(n, match, rule);
    }

    void address(String text, int rule, int line) {
      address(text, rule, line, "");
    }

    void address(String text, int rule, int line, String context) {
      try {
        addresses.add(text, rule);
      } catch (IllegalArgumentException e) {
        problem(line, context + e.getMessage());
      }
    }

    /** A skipped entry; {@code line} 0 when the parser does not say (RPZ records). */
    void problem(int line, String reason) {
      skipped++;
      if (problems.size() < MAX_PROBLEMS_KEPT) {
        problems.add(path + (line > 0 ? ":" + line : "") + ": " + reason);
      }
    }

    void skipQuietly() {
      skipped++;
    }

    LoadedList build(ListFormat format, long modified, long size) {
      return new LoadedList(settings, format, names.build(), addresses.build(), rules.toArray(new Rule[0]),
          List.copyOf(problems), skipped, Instant.now(), modified, size);
    }
  }
}
