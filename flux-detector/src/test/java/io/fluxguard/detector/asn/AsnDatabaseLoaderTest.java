package io.fluxguard.detector.asn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsnDatabaseLoaderTest {
  @TempDir Path dir;

  private static final String TSV =
      "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n"
          + "1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n"
          + "223.255.255.0\t223.255.255.255\t38803\tAU\tGTELECOM-AUSTRALIA Gtelecom Pty Ltd\n"
          + "2001:200::\t2001:200:ffff:ffff:ffff:ffff:ffff:ffff\t2500\tJP\tWIDE-BB WIDE Project\n";

  private AsnDatabase load(Path file, AsnFormat format) throws Exception {
    AsnDatabaseBuilder b = new AsnDatabaseBuilder();
    new AsnDatabaseLoader(b).load(file, format);
    return b.build();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void iptoasnTsv_lookupsAtRangeEdges() throws Exception {
    Path f = dir.resolve("ip2asn.tsv");
    Files.writeString(f, TSV);
    AsnDatabase db = load(f, AsnFormat.IPTOASN_TSV);
    assertThat(db.lookup(ip("1.0.0.0"))).isEqualTo(13335);
    assertThat(db.lookup(ip("1.0.0.255"))).isEqualTo(13335);
    assertThat(db.lookup(ip("1.0.1.7"))).isZero();
    assertThat(db.lookup(ip("0.255.255.255"))).isZero();
    assertThat(db.lookup(ip("223.255.255.255"))).isEqualTo(38803);
    assertThat(db.lookup(ip("2001:200:1::1"))).isEqualTo(2500);
    assertThat(db.lookup(ip("2001:201::1"))).isZero();
    assertThat(db.name(13335)).isEqualTo("CLOUDFLARENET");
  }

  @Test
  void gzipFile_detectedByContent() throws Exception {
    Path f = dir.resolve("ip2asn-v4.tsv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write(TSV.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(load(f, AsnFormat.IPTOASN_TSV).lookup(ip("1.0.0.9"))).isEqualTo(13335);
  }

  @Test
  void ipLocationDbCsv_quotedOrganisationAndNumericRows() throws Exception {
    Path f = dir.resolve("asn.csv");
    Files.writeString(
        f,
        "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n"
            + "16778240,16779263,38803,Gtelecom Pty Ltd\n"
            + "42540528726795050063891204319802818560,42540528806023212578155541913346768895,2500,WIDE Project\n");
    AsnDatabase db = load(f, AsnFormat.IP_LOCATION_DB_CSV);
    assertThat(db.lookup(ip("1.0.0.1"))).isEqualTo(13335);
    assertThat(db.name(13335)).isEqualTo("Cloudflare, Inc.");
    assertThat(db.lookup(ip("1.0.4.1"))).isEqualTo(38803);
    assertThat(db.lookup(ip("2001:200::5"))).isEqualTo(2500);
  }

  @Test
  void malformedLines_skippedAndReportedWithFileAndLine() throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "1.0.0.0,1.0.0.255,13335,ok\nnot,an,entry\n1.2.3.4,1.2.3.9\n8.8.8.0,8.8.8.255,15169,Google\n");
    AsnDatabaseBuilder b = new AsnDatabaseBuilder();
    AsnDatabaseLoader loader = new AsnDatabaseLoader(b);
    assertThat(loader.load(f, AsnFormat.IP_LOCATION_DB_CSV)).isEqualTo(2);
    assertThat(loader.skipped()).isEqualTo(2);
    assertThat(loader.problems()).containsExactly(
        f + ":2: ASN is not a number: 'entry'", f + ":3: expected start,end,asn[,organisation]");
    assertThat(b.build().lookup(ip("8.8.8.8"))).isEqualTo(15169);
  }

  @Test
  void maxmindMmdb_networksBecomeRanges() throws Exception {
    Path f = dir.resolve("GeoLite2-ASN.mmdb");
    Files.write(
        f,
        new MmdbTestWriter()
            .add("1.0.0.0/24", 13335, "CLOUDFLARENET")
            .add("8.8.8.0/24", 15169, "GOOGLE")
            .add("23.0.0.0/12", 20940, "Akamai International B.V.")
            .build());
    AsnDatabase db = load(f, AsnFormat.MAXMIND_MMDB);
    assertThat(db.lookup(ip("1.0.0.0"))).isEqualTo(13335);
    assertThat(db.lookup(ip("1.0.0.255"))).isEqualTo(13335);
    assertThat(db.lookup(ip("1.0.1.0"))).isZero();
    assertThat(db.lookup(ip("8.8.8.8"))).isEqualTo(15169);
    assertThat(db.lookup(ip("23.15.255.255"))).isEqualTo(20940);
    assertThat(db.lookup(ip("23.16.0.0"))).isZero();
    assertThat(db.name(20940)).isEqualTo("Akamai International B.V.");
  }

  @Test
  void notAnMmdbFile_failsWithTheFileNamed() throws Exception {
    Path f = dir.resolve("broken.mmdb");
    Files.writeString(f, "this is not a MaxMind database");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(f, AsnFormat.MAXMIND_MMDB))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void highIpv4Addresses_comparedUnsigned() throws Exception {
    AsnDatabase db = new AsnDatabaseBuilder().addV4(0x7F000000, 0x7FFFFFFF, 1).addV4(0xC0000000, 0xC00000FF, 2).build();
    assertThat(db.lookup(ip("192.0.0.10"))).isEqualTo(2);
    assertThat(db.lookup(ip("127.1.2.3"))).isEqualTo(1);
    assertThat(db.lookup(ip("200.0.0.1"))).isZero();
  }

  @Test
  void overlappingRange_laterStartWins() throws Exception {
    AsnDatabase db = new AsnDatabaseBuilder().addV4(0x0A000000, 0x0A0000FF, 1).addV4(0x0A000080, 0x0A0001FF, 2).build();
    assertThat(db.lookup(ip("10.0.0.1"))).isEqualTo(1);
    assertThat(db.lookup(ip("10.0.0.200"))).isEqualTo(2);
    assertThat(db.lookup(ip("10.0.1.200"))).isEqualTo(2);
  }

  @Test
  void nestedRange_splitsTheEnclosingOneWhichResumesAfterIt() throws Exception {
    AsnDatabase db = new AsnDatabaseBuilder().addV4(0x0A000000, 0x0AFFFFFF, 1).addV4(0x0A010000, 0x0A0100FF, 2).build();
    assertThat(db.lookup(ip("10.0.0.1"))).isEqualTo(1);
    assertThat(db.lookup(ip("10.1.0.9"))).isEqualTo(2);
    assertThat(db.lookup(ip("10.2.0.1"))).isEqualTo(1);
    assertThat(db.lookup(ip("10.255.255.255"))).isEqualTo(1);
  }

  @Test
  void sameStart_narrowerWinsWhicheverCameFirst() throws Exception {
    AsnDatabase db = new AsnDatabaseBuilder().addV4(0x0A000000, 0x0A0000FF, 2).addV4(0x0A000000, 0x0A00FFFF, 1).build();
    assertThat(db.lookup(ip("10.0.0.1"))).isEqualTo(2);
    assertThat(db.lookup(ip("10.0.1.1"))).isEqualTo(1);
  }

  @Test
  void nestedIpv6Range_splitsTheEnclosingOne() throws Exception {
    AsnDatabase db = new AsnDatabaseBuilder()
        .addV6(0x20010db800000000L, 0, 0x20010db8ffffffffL, -1L, 1)
        .addV6(0x20010db800010000L, 0, 0x20010db80001ffffL, -1L, 2)
        .build();
    assertThat(db.lookup(ip("2001:db8::1"))).isEqualTo(1);
    assertThat(db.lookup(ip("2001:db8:1::1"))).isEqualTo(2);
    assertThat(db.lookup(ip("2001:db8:2::1"))).isEqualTo(1);
  }

  @Test
  void emptyDatabase_answersZero() throws Exception {
    assertThat(AsnDatabase.empty().lookup(ip("8.8.8.8"))).isZero();
    assertThat(AsnDatabase.empty().isEmpty()).isTrue();
  }
}
