package io.fluxguard.detector.eval;

import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.asn.AsnDatabaseBuilder;
import io.fluxguard.detector.asn.AsnDatabaseLoader;
import io.fluxguard.detector.asn.AsnFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real address ranges of real networks (a sample of ip-location-db, CC BY 4.0, shipped in this
 * module), from which the scenario generator draws addresses, and the ASN database built from
 * the same sample for the detector under evaluation.
 */
public final class EvalAddressSpace {
  private static final String SAMPLE = "/io/fluxguard/detector/eval/asn-sample.csv";

  private final Map<Integer, List<int[]>> rangesByAsn;
  private final AsnDatabase database;

  private EvalAddressSpace(Map<Integer, List<int[]>> rangesByAsn, AsnDatabase database) {
    this.rangesByAsn = rangesByAsn;
    this.database = database;
  }

  public static EvalAddressSpace load() throws IOException {
    Path tmp = Files.createTempFile("fluxguard-asn-sample", ".csv");
    try {
      try (InputStream in = EvalAddressSpace.class.getResourceAsStream(SAMPLE)) {
        if (in == null) {
          throw new IOException(SAMPLE + " missing from the flux-detector jar");
        }
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      AsnDatabaseBuilder builder = new AsnDatabaseBuilder();
      new AsnDatabaseLoader(builder).load(tmp, AsnFormat.IP_LOCATION_DB_CSV);
      Map<Integer, List<int[]>> ranges = new HashMap<>();
      for (String line : Files.readAllLines(tmp)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(",", 4);
        int asn = Integer.parseInt(f[2]);
        ranges.computeIfAbsent(asn, k -> new ArrayList<>()).add(new int[] {v4(f[0]), v4(f[1])});
      }
      return new EvalAddressSpace(ranges, builder.build());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public AsnDatabase database() {
    return database;
  }

  public boolean has(int asn) {
    return rangesByAsn.containsKey(asn);
  }

  /** A random address inside a random range of {@code asn}. */
  public InetAddress address(int asn, Random random) {
    List<int[]> ranges = rangesByAsn.get(asn);
    if (ranges == null) {
      throw new IllegalArgumentException("no ranges for AS" + asn + " in the sample");
    }
    int[] r = ranges.get(random.nextInt(ranges.size()));
    long size = (r[1] & 0xFFFFFFFFL) - (r[0] & 0xFFFFFFFFL) + 1;
    long offset = size <= 2 ? 0 : 1 + (long) (random.nextDouble() * (size - 2)); // skip network/broadcast
    int ip = (int) ((r[0] & 0xFFFFFFFFL) + offset);
    try {
      return InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int v4(String text) {
    String[] p = text.trim().split("\\.");
    return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
  }
}
