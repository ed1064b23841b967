package io.fluxguard.detector.asn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small IPv4 MaxMind DB (format 2.0, 24-bit records) with ASN data, following the
 * published MaxMind DB specification, so the .mmdb loader is tested on a real file without
 * shipping MaxMind's data.
 */
final class MmdbTestWriter {
  private record Entry(int network, int prefixLength, long asn, String org) {}

  private final List<Entry> entries = new ArrayList<>();

  MmdbTestWriter add(String cidr, long asn, String org) {
    String[] parts = cidr.split("/");
    String[] q = parts[0].split("\\.");
    int ip = (Integer.parseInt(q[0]) << 24) | (Integer.parseInt(q[1]) << 16) | (Integer.parseInt(q[2]) << 8) | Integer.parseInt(q[3]);
    entries.add(new Entry(ip, Integer.parseInt(parts[1]), asn, org));
    return this;
  }

  byte[] build() {
    // The search tree: node i has two records (left = bit 0, right = bit 1); -1 means empty,
    // values <= -2 mean "data for entry (-v - 2)".
    List<int[]> nodes = new ArrayList<>();
    nodes.add(new int[] {-1, -1});
    for (int e = 0; e < entries.size(); e++) {
      Entry entry = entries.get(e);
      int node = 0;
      for (int depth = 0; depth < entry.prefixLength(); depth++) {
        int bit = (entry.network() >>> (31 - depth)) & 1;
        if (depth == entry.prefixLength() - 1) {
          nodes.get(node)[bit] = -2 - e;
        } else {
          if (nodes.get(node)[bit] < 0) {
            nodes.add(new int[] {-1, -1});
            nodes.get(node)[bit] = nodes.size() - 1;
          }
          node = nodes.get(node)[bit];
        }
      }
    }
    int nodeCount = nodes.size();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int[] dataOffset = new int[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      dataOffset[e] = data.size();
      map(data, 2);
      string(data, "autonomous_system_number");
      uint(data, 6, entries.get(e).asn());
      string(data, "autonomous_system_organization");
      string(data, entries.get(e).org());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int[] n : nodes) {
      for (int record : n) {
        long value = record == -1 ? nodeCount : record >= 0 ? record : nodeCount + 16 + dataOffset[-record - 2];
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
      }
    }
    out.write(new byte[16], 0, 16); // data section separator
    out.write(data.toByteArray(), 0, data.size());
    byte[] marker = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF};
    out.write(marker, 0, 3);
    byte[] mm = "MaxMind.com".getBytes(StandardCharsets.US_ASCII);
    out.write(mm, 0, mm.length);
    map(out, 9);
    string(out, "node_count");
    uint(out, 6, nodeCount);
    string(out, "record_size");
    uint(out, 5, 24);
    string(out, "ip_version");
    uint(out, 5, 4);
    string(out, "database_type");
    string(out, "GeoLite2-ASN");
    string(out, "languages");
    out.write(1); // extended type, 1 element
    out.write(11 - 7); // array
    string(out, "en");
    string(out, "binary_format_major_version");
    uint(out, 5, 2);
    string(out, "binary_format_minor_version");
    uint(out, 5, 0);
    string(out, "build_epoch");
    out.write(8); // extended type, 8 bytes
    out.write(9 - 7); // uint64
    for (int i = 7; i >= 0; i--) {
      out.write((int) (1_700_000_000L >>> (8 * i)));
    }
    string(out, "description");
    map(out, 1);
    string(out, "en");
    string(out, "fluxguard test database");
    return out.toByteArray();
  }

  private static void map(ByteArrayOutputStream out, int pairs) {
    out.write((7 << 5) | pairs);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length < 29) {
      out.write((2 << 5) | b.length);
    } else {
      out.write((2 << 5) | 29);
      out.write(b.length - 29);
    }
    out.write(b, 0, b.length);
  }

  /** uint16 (type 5) or uint32 (type 6), in as few bytes as the value needs. */
  private static void uint(ByteArrayOutputStream out, int type, long value) {
    int size = value == 0 ? 0 : (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
    out.write((type << 5) | size);
    for (int i = size - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }
}
