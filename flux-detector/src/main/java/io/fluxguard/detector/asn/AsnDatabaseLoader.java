package io.fluxguard.detector.asn;

import com.google.common.net.InetAddresses;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads IP-to-ASN files (plain or gzip, detected by content) into an {@link AsnDatabaseBuilder}.
 * A malformed line is skipped and reported with its file and line number; the load fails only
 * when nothing usable was read.
 */
public final class AsnDatabaseLoader {
  private static final int MAX_REPORTED = 5;

  private final AsnDatabaseBuilder builder;
  private final List<String> problems = new ArrayList<>();
  private int skipped;

  public AsnDatabaseLoader(AsnDatabaseBuilder builder) {
    this.builder = builder;
  }

  /** Loads one file; returns the number of ranges read from it. */
  public int load(Path file, AsnFormat format) throws IOException {
    int before = builder.size();
    if (format == AsnFormat.MAXMIND_MMDB) {
      loadMmdb(file);
      return builder.size() - before;
    }
    try (BufferedReader in = reader(file)) {
      String line;
      int lineNumber = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        try {
          switch (format) {
            case IPTOASN_TSV -> tsvLine(line);
            case IP_LOCATION_DB_CSV -> csvLine(line);
            default -> throw new IllegalStateException(format.toString());
          }
        } catch (IllegalArgumentException e) {
          skipped++;
          if (problems.size() < MAX_REPORTED) {
            problems.add(file + ":" + lineNumber + ": " + e.getMessage());
          }
        }
      }
    }
    return builder.size() - before;
  }

  /**
   * Reads every network of a MaxMind DB into ranges. IPv4 networks of an IPv6 database come back
   * in IPv4 form (the reader folds the ::/96 alias); records without an ASN are skipped.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private void loadMmdb(Path file) throws IOException {
    try (Reader reader = new Reader(file.toFile())) {
      Networks<Map> networks = reader.networks(Map.class);
      while (networks.hasNext()) {
        DatabaseRecord<Map> record = networks.next();
        Object number = record.getData().get("autonomous_system_number");
        if (!(number instanceof Number n)) {
          skipped++;
          continue;
        }
        int asn = (int) n.longValue();
        Object org = record.getData().get("autonomous_system_organization");
        if (org instanceof String name) {
          builder.name(asn, name);
        }
        byte[] start = record.getNetwork().getNetworkAddress().getAddress();
        int prefix = record.getNetwork().getPrefixLength();
        if (start.length == 4) {
          int s = IpBits.v4(start);
          int hostBits = 32 - prefix;
          int end = hostBits == 32 ? -1 : s | (int) ((1L << hostBits) - 1);
          builder.addV4(s, end, asn);
        } else {
          long hi = IpBits.high(start);
          long lo = IpBits.low(start);
          long endHi = prefix >= 64 ? hi : hi | (prefix == 0 ? -1L : (-1L >>> prefix));
          long endLo = prefix >= 64 ? lo | (prefix == 128 ? 0 : (-1L >>> (prefix - 64))) : -1L;
          builder.addV6(hi, lo, endHi, endLo, asn);
        }
      }
    } catch (com.maxmind.db.NetworksIterationException | com.maxmind.db.InvalidNetworkException e) {
      throw new IOException(file + ": not a usable MaxMind DB: " + e.getMessage(), e);
    }
  }

  /** Up to five skipped lines, each as {@code file:line: reason}. */
  public List<String> problems() {
    return problems;
  }

  public int skipped() {
    return skipped;
  }

  private static BufferedReader reader(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  // iptoasn: range_start TAB range_end TAB AS_number TAB country_code TAB AS_description
  private void tsvLine(String line) {
    String[] f = line.split("\t", 5);
    if (f.length < 3) {
      throw new IllegalArgumentException("expected at least 3 tab-separated fields");
    }
    int asn = asn(f[2]);
    range(f[0], f[1], asn);
    if (f.length == 5 && !builder.hasName(asn)) {
      builder.name(asn, f[4].trim());
    }
  }

  // ip-location-db: ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization
  private void csvLine(String line) {
    int c1 = line.indexOf(',');
    int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
    int c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
    if (c2 < 0) {
      throw new IllegalArgumentException("expected start,end,asn[,organisation]");
    }
    String start = line.substring(0, c1);
    String end = line.substring(c1 + 1, c2);
    int asn = asn(c3 < 0 ? line.substring(c2 + 1) : line.substring(c2 + 1, c3));
    range(start, end, asn);
    if (c3 >= 0 && !builder.hasName(asn)) {
      String org = line.substring(c3 + 1).trim();
      if (org.length() >= 2 && org.startsWith("\"") && org.endsWith("\"")) {
        org = org.substring(1, org.length() - 1).replace("\"\"", "\"");
      }
      builder.name(asn, org);
    }
  }

  private static int asn(String text) {
    String t = text.trim();
    if (t.regionMatches(true, 0, "AS", 0, 2)) {
      t = t.substring(2);
    }
    try {
      long v = Long.parseLong(t);
      if (v < 0 || v > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("ASN out of range: " + text);
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ASN is not a number: '" + text + "'");
    }
  }

  private void range(String startText, String endText, int asn) {
    String a = startText.trim();
    String b = endText.trim();
    if (a.indexOf('.') < 0 && a.indexOf(':') < 0) {
      numericRange(a, b, asn);
      return;
    }
    long v4Start = dottedQuad(a);
    long v4End = v4Start < 0 ? -1 : dottedQuad(b);
    if (v4End >= 0) {
      builder.addV4((int) v4Start, (int) v4End, asn); // the common case, parsed without allocating
      return;
    }
    InetAddress start = literal(a);
    InetAddress end = literal(b);
    if ((start instanceof Inet4Address) != (end instanceof Inet4Address)) {
      throw new IllegalArgumentException("range mixes IPv4 and IPv6");
    }
    if (start instanceof Inet4Address) {
      builder.addV4(IpBits.v4(start.getAddress()), IpBits.v4(end.getAddress()), asn);
    } else {
      byte[] s = start.getAddress();
      byte[] e = end.getAddress();
      builder.addV6(IpBits.high(s), IpBits.low(s), IpBits.high(e), IpBits.low(e), asn);
    }
  }

  /** The {@code -num} files: decimal numbers, IPv4 up to 2^32, IPv6 up to 2^128. */
  private void numericRange(String a, String b, int asn) {
    try {
      BigInteger start = new BigInteger(a);
      BigInteger end = new BigInteger(b);
      if (start.signum() < 0 || end.bitLength() > 128) {
        throw new IllegalArgumentException("address number out of range");
      }
      if (end.bitLength() <= 32) {
        builder.addV4(start.intValue(), end.intValue(), asn);
      } else {
        builder.addV6(
            start.shiftRight(64).longValue(), start.longValue(), end.shiftRight(64).longValue(), end.longValue(), asn);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an address: '" + a + "'");
    }
  }

  /** A dotted-quad IPv4 address as an unsigned number, or -1 when it is not one. */
  static long dottedQuad(String s) {
    long value = 0;
    int octet = -1;
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
        if (octet > 255) {
          return -1;
        }
      } else if (c == '.' && octet >= 0 && dots < 3) {
        value = (value << 8) | octet;
        octet = -1;
        dots++;
      } else {
        return -1;
      }
    }
    if (dots != 3 || octet < 0) {
      return -1;
    }
    return (value << 8) | octet;
  }

  private static InetAddress literal(String text) {
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IP address: '" + text + "'");
    }
  }
}
