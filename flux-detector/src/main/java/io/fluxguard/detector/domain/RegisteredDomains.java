package io.fluxguard.detector.domain;

import com.google.common.net.InternetDomainName;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The registered domain of a name ("www.example.co.uk" → "example.co.uk"), from the public suffix
 * list with its private section (so "x.github.io" → "x.github.io"). By default the list compiled
 * into Guava ({@link InternetDomainName#topPrivateDomain()}); operators can load a newer
 * {@code public_suffix_list.dat}.
 */
public abstract class RegisteredDomains {

  /** The registered domain of {@code name} (lower case, no trailing dot); the name itself when it has none. */
  public abstract String of(String name);

  /** The public suffix list compiled into Guava. */
  public static RegisteredDomains guava() {
    return new Guava();
  }

  /** A list file in the publicsuffix.org format. */
  public static RegisteredDomains fromFile(Path file) throws IOException {
    return new ListFile(file);
  }

  static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static final class Guava extends RegisteredDomains {
    @Override
    public String of(String name) {
      String n = normalise(name);
      try {
        InternetDomainName d = InternetDomainName.from(n);
        if (d.isUnderPublicSuffix()) {
          return d.topPrivateDomain().toString();
        }
        if (d.isPublicSuffix() || d.parts().size() < 2) {
          return n;
        }
        // A TLD the list does not know (.test, .internal): the list's default rule "*" applies.
        java.util.List<String> parts = d.parts();
        return parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1);
      } catch (IllegalArgumentException | IllegalStateException e) {
        return n; // not a valid host name (underscores, empty labels): treat as its own domain
      }
    }
  }

  /** The publicsuffix.org algorithm: the longest matching rule wins, exceptions beat wildcards. */
  private static final class ListFile extends RegisteredDomains {
    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();

    ListFile(Path file) throws IOException {
      try (BufferedReader in = Files.newBufferedReader(file)) {
        String line;
        while ((line = in.readLine()) != null) {
          String rule = line.strip();
          int space = rule.indexOf(' ');
          if (space >= 0) {
            rule = rule.substring(0, space);
          }
          if (rule.isEmpty() || rule.startsWith("//")) {
            continue;
          }
          rule = java.net.IDN.toASCII(rule, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
          if (rule.startsWith("!")) {
            exceptions.add(rule.substring(1));
          } else if (rule.startsWith("*.")) {
            wildcards.add(rule.substring(2));
          } else {
            rules.add(rule);
          }
        }
      }
      if (rules.isEmpty() && wildcards.isEmpty()) {
        throw new IOException(file + ": no public suffix rules found");
      }
    }

    @Override
    public String of(String name) {
      String n = normalise(name);
      String[] labels = n.split("\\.");
      // Walk from the longest candidate suffix to the shortest; the first match is the longest.
      for (int i = 0; i < labels.length; i++) {
        String suffix = join(labels, i);
        int suffixStart;
        if (exceptions.contains(suffix)) {
          suffixStart = i + 1; // the exception's parent is the public suffix
        } else if (rules.contains(suffix)) {
          suffixStart = i;
        } else if (i + 1 < labels.length && wildcards.contains(join(labels, i + 1))) {
          suffixStart = i;
        } else {
          continue;
        }
        return suffixStart == 0 ? n : join(labels, suffixStart - 1);
      }
      // No rule: the default rule "*" makes the last label the public suffix.
      return labels.length >= 2 ? join(labels, labels.length - 2) : n;
    }

    private static String join(String[] labels, int from) {
      return String.join(".", java.util.Arrays.copyOfRange(labels, from, labels.length));
    }
  }
}
