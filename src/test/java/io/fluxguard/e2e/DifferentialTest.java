package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.e2e.Differential.Mismatch;
import io.fluxguard.e2e.Differential.Query;
import io.fluxguard.e2e.Differential.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import io.fluxguard.e2e.NastyPackets.Nasty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * fluxguard and Unbound, both forwarding to the same NSD, give the same answers to a few hundred
 * queries: A, AAAA, CNAME chains, MX, TXT, answers too large for UDP, NXDOMAIN, NODATA,
 * wildcards, DNAME — asked first (cache miss), again (cache hit), without EDNS, and over TCP;
 * and the nasty-packet corpus gets the same outcomes from both.
 */
class DifferentialTest {
  private static final String ZONE = "diff.test.";

  @TempDir static Path dir;
  private static final List<Query> queries = new ArrayList<>();
  private static PeerDns nsd;
  private static PeerDns unbound;
  private static FluxguardProcess fluxguard;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder zone = new StringBuilder();
    buildZone(zone, queries);
    nsd = PeerDns.nsd(Files.createDirectory(dir.resolve("nsd")), ZONE, zone.toString());
    unbound = PeerDns.unbound(Files.createDirectory(dir.resolve("unbound")), ZONE, nsd.address);
    fluxguard = new FluxguardProcess("--upstream", "127.0.0.1:" + nsd.address.getPort(), "--data-dir", dir.resolve("data").toString());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {fluxguard, unbound, nsd}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void answersMatchUnbound() throws Exception {
    Differential differential = new Differential(unbound.address, fluxguard.address);
    List<Mismatch> mismatches = new ArrayList<>();
    mismatches.addAll(differential.compare("first", queries, Transport.UDP_EDNS));
    mismatches.addAll(differential.compare("cached", queries, Transport.UDP_EDNS));
    mismatches.addAll(differential.compare("cached", queries, Transport.UDP_PLAIN));
    mismatches.addAll(differential.compare("cached", queries, Transport.TCP));
    assertThat(queries).hasSizeGreaterThan(300);
    System.out.println("differential check: " + queries.size() + " queries x 4 passes, " + mismatches.size() + " mismatches, "
        + differential.retries() + " asked again after a timeout or SERVFAIL");
    // the comparison can tell servers apart: NSD answers authoritatively (AA) and not recursively (no RA)
    List<Query> some = queries.subList(0, 20);
    assertThat(new Differential(nsd.address, unbound.address).compare("sanity", some, Transport.UDP_EDNS)).hasSameSizeAs(some);
    assertThat(mismatches)
        .as(() -> mismatches.size() + " mismatches in " + queries.size() + " queries × 4 passes:\n"
            + mismatches.stream().limit(40).map(Mismatch::toString).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  /** The nasty corpus gets from fluxguard the outcomes Unbound gives, but for the few marked. */
  @Test
  void nastyPacketsGetTheOutcomesUnboundGives() throws Exception {
    List<String> differences = new ArrayList<>();
    for (Nasty p : NastyPackets.all()) {
      int timeout = p.expected() == NastyPackets.DROP ? 300 : 3000;
      String reference = outcome(DnsClient.udp(unbound.address, p.wire(), timeout));
      String candidate = outcome(DnsClient.udp(fluxguard.address, p.wire(), timeout));
      boolean marked = p.name().startsWith(NastyPackets.UNBOUND_ANSWERS);
      if (reference.equals(candidate) == marked) {
        differences.add(p.name() + ": Unbound " + reference + ", fluxguard " + candidate);
      }
    }
    assertThat(differences).isEmpty();
  }

  /** DROP, or the answer's rcode read from its header (Unbound echoes a malformed query, which dnsjava cannot parse). */
  private static String outcome(byte[] answer) {
    return answer == null ? "DROP" : answer.length < 4 ? "RUNT" : Rcode.string(answer[3] & 0xF);
  }

  /** The zone NSD serves, and the queries that cover it; every case is named after what it tests. */
  private static void buildZone(StringBuilder z, List<Query> q) {
    z.append("$ORIGIN ").append(ZONE).append("\n$TTL 3600\n")
        .append("@ SOA ns1 hostmaster 2026112601 3600 600 86400 300\n")
        .append("@ NS ns1\n")
        .append("ns1 A 127.0.0.1\n");
    ask(q, "", Type.SOA, Type.NS, Type.A, Type.MX);
    for (int i = 0; i < 40; i++) {
      for (int k = 0; k <= i % 4; k++) {
        z.append("a").append(i).append(" A 192.0.2.").append(i * 4 + k + 1).append('\n');
      }
      ask(q, "a" + i, Type.A);
      if (i < 20) {
        ask(q, "a" + i, Type.AAAA); // NODATA
      }
      if (i < 10) {
        ask(q, "a" + i, Type.MX); // NODATA
        ask(q, "A" + i + ".DiFf.TeSt.", Type.A); // the question's case is echoed
      }
    }
    for (int i = 0; i < 20; i++) {
      for (int k = 0; k <= i % 3; k++) {
        z.append("v").append(i).append(" AAAA 2001:db8::").append(Integer.toHexString(i * 3 + k + 1)).append('\n');
      }
      z.append("d").append(i).append(" A 198.51.100.").append(i + 1).append('\n');
      z.append("d").append(i).append(" AAAA 2001:db8:1::").append(Integer.toHexString(i + 1)).append('\n');
      ask(q, "v" + i, Type.AAAA, Type.A);
      ask(q, "d" + i, Type.A, Type.AAAA);
      z.append("c").append(i).append(" CNAME a").append(i).append('\n');
      ask(q, "c" + i, Type.A, Type.CNAME);
    }
    for (int i = 0; i < 10; i++) { // chains of three
      z.append("k").append(i).append("-1 CNAME k").append(i).append("-2\n");
      z.append("k").append(i).append("-2 CNAME k").append(i).append("-3\n");
      z.append("k").append(i).append("-3 CNAME d").append(i).append('\n');
      ask(q, "k" + i + "-1", Type.A, Type.AAAA, Type.TXT); // the last: CNAME chain then NODATA
    }
    for (int i = 1; i < 8; i++) { // a chain of eight
      z.append("long-").append(i).append(" CNAME long-").append(i + 1).append('\n');
    }
    z.append("long-8 A 203.0.113.8\n");
    ask(q, "long-1", Type.A);
    for (int i = 0; i < 5; i++) { // CNAME to a name that does not exist: NXDOMAIN with the CNAME
      z.append("dangling").append(i).append(" CNAME missing").append(i).append('\n');
      ask(q, "dangling" + i, Type.A);
    }
    for (int i = 0; i < 15; i++) {
      z.append("mx").append(i).append(" MX 10 mail1.mx").append(i).append('\n');
      z.append("mx").append(i).append(" MX 20 mail2.mx").append(i).append('\n');
      z.append("mail1.mx").append(i).append(" A 203.0.113.").append(i + 10).append('\n');
      ask(q, "mx" + i, Type.MX, Type.A);
    }
    z.append("nullmx MX 0 .\n");
    ask(q, "nullmx", Type.MX);
    String[] texts = {
      "\"hello\"",
      "\"two\" \"strings\"",
      "\"\"",
      "\"with space and \\\"quotes\\\"\"",
      "\"\\200\\255 bytes above 127\"",
      "\"v=spf1 ip4:192.0.2.0/24 -all\"",
      "\"" + "x".repeat(255) + "\"",
      "\"semi;colon\" \"back\\\\slash\"",
      "\"MiXeD CaSe\"",
      "\"v=DMARC1; p=reject; rua=mailto:dmarc@diff.test\"",
    };
    for (int i = 0; i < 20; i++) {
      z.append("t").append(i).append(" TXT ").append(texts[i % texts.length]).append('\n');
      if (i % 4 == 0) {
        z.append("t").append(i).append(" TXT \"second record ").append(i).append("\"\n");
      }
      ask(q, "t" + i, Type.TXT, Type.A);
    }
    for (int i = 1; i <= 150; i++) { // 150 addresses: about 2.5 KB, truncated at 1232 bytes
      z.append("big-a A 198.18.0.").append(i).append('\n');
    }
    for (int i = 1; i <= 50; i++) { // about 850 bytes: fits with EDNS, truncated at 512 without
      z.append("mid-a A 198.18.1.").append(i).append('\n');
    }
    for (int i = 1; i <= 60; i++) {
      z.append("big-aaaa AAAA 2001:db8:2::").append(Integer.toHexString(i)).append('\n');
    }
    for (int i = 0; i < 12; i++) {
      z.append("big-txt TXT \"").append(Character.toString('a' + i).repeat(200)).append("\"\n");
    }
    z.append("to-big CNAME big-a\n");
    ask(q, "big-a", Type.A);
    ask(q, "mid-a", Type.A);
    ask(q, "big-aaaa", Type.AAAA);
    ask(q, "big-txt", Type.TXT);
    ask(q, "to-big", Type.A);
    z.append("_sip._tcp SRV 10 60 5060 a1\n")
        .append("caa CAA 0 issue \"ca.example\"\n")
        .append("ptr PTR a2\n")
        .append("hinfo HINFO \"PC\" \"Linux\"\n")
        .append("naptr NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp\n")
        .append("sshfp SSHFP 4 2 " + "0123456789abcdef".repeat(4) + "\n");
    ask(q, "_sip._tcp", Type.SRV);
    ask(q, "caa", Type.CAA);
    ask(q, "ptr", Type.PTR);
    ask(q, "hinfo", Type.HINFO);
    ask(q, "naptr", Type.NAPTR);
    ask(q, "sshfp", Type.SSHFP);
    z.append("*.wild A 192.0.2.250\n").append("*.wild TXT \"wildcard\"\n");
    for (int i = 0; i < 10; i++) {
      ask(q, "w" + i + ".wild", Type.A, Type.TXT, Type.AAAA); // the last: wildcard NODATA
    }
    z.append("leaf.ent A 192.0.2.251\n");
    ask(q, "ent", Type.A); // empty non-terminal: NODATA, not NXDOMAIN
    ask(q, "leaf.ent", Type.A);
    z.append("dn DNAME sub\n").append("x.sub A 192.0.2.252\n");
    ask(q, "x.dn", Type.A);
    ask(q, "y.dn", Type.A); // DNAME to a name that does not exist
    for (int i = 0; i < 40; i++) {
      ask(q, "nx" + i, Type.A);
    }
    for (int i = 0; i < 10; i++) {
      ask(q, "deep.no.such.a" + i, Type.A); // NXDOMAIN below a name that exists
      ask(q, "nx-aaaa" + i, Type.AAAA);
    }
  }

  private static void ask(List<Query> q, String relative, int... types) {
    String name = relative.isEmpty() ? ZONE : relative.endsWith(".") ? relative : relative + "." + ZONE;
    for (int type : types) {
      q.add(new Query(Names.of(name), type));
    }
  }
}
