package io.fluxguard.detector.org;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which autonomous systems and CNAME targets belong to one organisation (Akamai has dozens of
 * ASNs; spread across them counts once), and which round-robin pools are benign by design.
 * Built from {@code organisations.txt} in this module plus any operator files in the same
 * format. Organisation ids are small ints; an ASN not in the file is its own organisation.
 */
public final class Organisations {
  /** Organisation ids for unlisted ASNs are the ASN itself with this bit set. */
  private static final int UNLISTED = 0x8000_0000;

  private final Map<Integer, Integer> orgByAsn;
  private final List<String> names;
  private final List<OrganisationKind> kinds;
  private final SuffixTable cnameSuffixes;
  private final SuffixTable pools;

  private Organisations(Builder b) {
    this.orgByAsn = Map.copyOf(b.orgByAsn);
    this.names = List.copyOf(b.names);
    this.kinds = List.copyOf(b.kinds);
    this.cnameSuffixes = new SuffixTable(b.cnameSuffixes);
    this.pools = new SuffixTable(b.pools);
  }

  /** The knowledge shipped with fluxguard, plus {@code extraFiles} from operators. */
  public static Organisations load(List<Path> extraFiles) throws IOException {
    Builder b = new Builder();
    try (InputStream in = Organisations.class.getResourceAsStream("/io/fluxguard/detector/organisations.txt")) {
      if (in == null) {
        throw new IOException("organisations.txt missing from the flux-detector jar");
      }
      b.read(new InputStreamReader(in, StandardCharsets.UTF_8), "organisations.txt (built in)");
    }
    for (Path file : extraFiles) {
      try (Reader r = Files.newBufferedReader(file)) {
        b.read(r, file.toString());
      }
    }
    return new Organisations(b);
  }

  public static Organisations builtIn() {
    try {
      return load(List.of());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The organisation id of an ASN: listed organisations share one id; others are their own. */
  public int organisationOf(int asn) {
    Integer org = orgByAsn.get(asn);
    return org != null ? org : (asn | UNLISTED);
  }

  /** True when {@code orgId} is a CDN, cloud or hosting organisation from the file. */
  public boolean isListed(int orgId) {
    return (orgId & UNLISTED) == 0 && orgId < names.size();
  }

  public OrganisationKind kind(int orgId) {
    return isListed(orgId) ? kinds.get(orgId) : null;
  }

  /** A readable name: the organisation's, or "AS" + number for unlisted ones. */
  public String name(int orgId) {
    return isListed(orgId) ? names.get(orgId) : "AS" + Integer.toUnsignedString(orgId & ~UNLISTED);
  }

  /** The organisation whose CDN serves names under {@code name}'s suffix, or -1. */
  public int cdnForName(String name) {
    return cnameSuffixes.match(name);
  }

  /** The reason {@code name} is a known round-robin pool, or null. */
  public String poolReason(String name) {
    int i = pools.match(name);
    return i < 0 ? null : pools.value(i);
  }

  /** Parses the file format; collects every bad line with its file and number. */
  static final class Builder {
    final Map<Integer, Integer> orgByAsn = new HashMap<>();
    final List<String> names = new ArrayList<>();
    final List<OrganisationKind> kinds = new ArrayList<>();
    final Map<String, Integer> idByName = new HashMap<>();
    final Map<String, String> cnameSuffixes = new HashMap<>();
    final Map<String, String> pools = new HashMap<>();

    void read(Reader reader, String source) throws IOException {
      List<String> errors = new ArrayList<>();
      BufferedReader in = new BufferedReader(reader);
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] w = t.split("\\s+");
        try {
          directive(w);
        } catch (IllegalArgumentException e) {
          errors.add(source + ":" + number + ": " + e.getMessage());
        }
      }
      if (!errors.isEmpty()) {
        throw new IOException(String.join("\n", errors));
      }
    }

    private void directive(String[] w) {
      if (w.length < 3) {
        throw new IllegalArgumentException("expected 'org|asn|cname|pool' and at least two more words");
      }
      switch (w[0]) {
        case "org" -> {
          OrganisationKind kind;
          try {
            kind = OrganisationKind.parse(w[2]);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind must be cdn, cloud or hosting, got '" + w[2] + "'");
          }
          if (!idByName.containsKey(w[1])) {
            idByName.put(w[1], names.size());
            names.add(w[1]);
            kinds.add(kind);
          }
        }
        case "asn" -> {
          int id = org(w[1]);
          for (int i = 2; i < w.length; i++) {
            try {
              orgByAsn.put((int) Long.parseLong(w[i].replaceFirst("^(?i)AS", "")), id);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("ASN must be a number, got '" + w[i] + "'");
            }
          }
        }
        case "cname" -> {
          org(w[1]);
          for (int i = 2; i < w.length; i++) {
            cnameSuffixes.put(normalise(w[i]), w[1]);
          }
        }
        case "pool" -> pools.put(normalise(w[1]), String.join(" ", java.util.Arrays.copyOfRange(w, 2, w.length)));
        default -> throw new IllegalArgumentException("unknown directive '" + w[0] + "'");
      }
    }

    private int org(String name) {
      Integer id = idByName.get(name);
      if (id == null) {
        throw new IllegalArgumentException("organisation '" + name + "' is not declared by an 'org' line above");
      }
      return id;
    }
  }

  static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** Suffix lookup on whole labels: "a.edgekey.net" matches "edgekey.net", "xedgekey.net" does not. */
  private final class SuffixTable {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    SuffixTable(Map<String, String> entries) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        index.put(e.getKey(), values.size());
        values.add(e.getValue());
      }
    }

    /** Index of the longest matching suffix, or -1. For CNAME suffixes the value is an org id. */
    int match(String name) {
      String n = normalise(name);
      while (true) {
        Integer i = index.get(n);
        if (i != null) {
          return this == cnameSuffixes ? idByNameValue(values.get(i)) : i;
        }
        int dot = n.indexOf('.');
        if (dot < 0) {
          return -1;
        }
        n = n.substring(dot + 1);
      }
    }

    String value(int i) {
      return values.get(i);
    }
  }

  private int idByNameValue(String orgName) {
    return names.indexOf(orgName);
  }
}
