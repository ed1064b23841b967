package io.fluxguard.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.fluxguard.policy.Action;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;

class ListReaderTest {
  @TempDir Path dir;

  private LoadedList read(String file, String text, ListFormat format) throws Exception {
    Path p = dir.resolve(file);
    Files.writeString(p, text);
    return ListReader.read(new ListSettings("test", p, format, Mode.ENFORCE, Action.SINKHOLE));
  }

  private static Action action(LoadedList l, String name) {
    int id = l.names().match(name);
    return id < 0 ? null : l.rules()[id].action();
  }

  @Test
  void domains_plainCoversSubdomains_wildcardOnlyBelow_badLinesNamedWithFileAndLine() throws Exception {
    LoadedList l = read("d.txt", "# comment\nevil.example\n*.wild.example  # trailing comment\nbad name!\n\nUPPER.Example.\n", ListFormat.AUTO);
    assertThat(l.format()).isEqualTo(ListFormat.DOMAINS);
    assertThat(action(l, "x.evil.example")).isEqualTo(Action.SINKHOLE);
    assertThat(action(l, "wild.example")).isNull();
    assertThat(action(l, "a.wild.example")).isEqualTo(Action.SINKHOLE);
    assertThat(action(l, "upper.example")).isEqualTo(Action.SINKHOLE);
    assertThat(l.skipped()).isEqualTo(1);
    assertThat(l.problems()).containsExactly(dir.resolve("d.txt") + ":4: not a domain name: \"bad name!\"");
  }

  @Test
  void hosts_eachNameExactly_localhostSkipped() throws Exception {
    LoadedList l = read("h", "127.0.0.1 localhost\n0.0.0.0 ads.example tracker.example # x\n", ListFormat.AUTO);
    assertThat(l.format()).isEqualTo(ListFormat.HOSTS);
    assertThat(action(l, "ads.example")).isEqualTo(Action.SINKHOLE);
    assertThat(action(l, "tracker.example")).isEqualTo(Action.SINKHOLE);
    assertThat(action(l, "sub.ads.example")).isNull();
    assertThat(action(l, "localhost")).isNull();
  }

  @Test
  void adblock_domainRulesKept_exceptionsPass_otherRulesSkipped() throws Exception {
    LoadedList l = read("a", "! title\n||ads.example^\n||x.example^$important\n@@||ok.ads.example^\n/banner/*\n##.ad\n||y.example^$third-party\n", ListFormat.AUTO);
    assertThat(l.format()).isEqualTo(ListFormat.ADBLOCK);
    assertThat(action(l, "a.ads.example")).isEqualTo(Action.SINKHOLE);
    assertThat(action(l, "x.example")).isEqualTo(Action.SINKHOLE);
    assertThat(action(l, "ok.ads.example")).isEqualTo(Action.PASSTHRU);
    assertThat(action(l, "y.example")).isNull();
    assertThat(l.skipped()).isEqualTo(2); // the path rule and the one with options ("##" starts a comment)
  }

  @Test
  void addresses_cidrsAndSingleAddresses() throws Exception {
    LoadedList l = read("ips", "192.0.2.0/24\n2001:db8::1\n300.1.1.1\n", ListFormat.AUTO);
    assertThat(l.format()).isEqualTo(ListFormat.ADDRESSES);
    assertThat(l.addresses().match(InetAddresses.forString("192.0.2.9"))).isGreaterThanOrEqualTo(0);
    assertThat(l.addresses().match(InetAddresses.forString("2001:db8::1"))).isGreaterThanOrEqualTo(0);
    assertThat(l.problems()).singleElement().asString().contains(":3: not an IP address");
  }

  @Test
  void rpz_qnameAndIpTriggers_withEveryAction() throws Exception {
    String zone = """
        $TTL 300
        $ORIGIN rpz.test.
        @ SOA ns.rpz.test. admin.rpz.test. 1 3600 600 86400 60
        @ NS ns.rpz.test.
        nx.example CNAME .
        nodata.example CNAME *.
        *.wild.example CNAME .
        ok.wild.example CNAME rpz-passthru.
        drop.example CNAME rpz-drop.
        local.example A 192.0.2.53
        24.0.2.0.192.rpz-ip CNAME .
        48.zz.db8.2001.rpz-ip CNAME rpz-drop.
        ns.example.rpz-nsdname CNAME .
        """;
    LoadedList l = read("policy.rpz", zone, ListFormat.AUTO);
    assertThat(l.format()).isEqualTo(ListFormat.RPZ);
    assertThat(action(l, "nx.example")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(l, "a.nx.example")).isNull(); // a plain owner is that name only
    assertThat(action(l, "nodata.example")).isEqualTo(Action.NODATA);
    assertThat(action(l, "a.wild.example")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(l, "ok.wild.example")).isEqualTo(Action.PASSTHRU);
    assertThat(action(l, "drop.example")).isEqualTo(Action.DROP);
    Rule local = l.rules()[l.names().match("local.example")];
    assertThat(local.action()).isEqualTo(Action.LOCAL_DATA);
    assertThat(local.localData()).singleElement().isInstanceOf(ARecord.class);
    assertThat(l.rules()[l.addresses().match(InetAddresses.forString("192.0.2.77"))].action()).isEqualTo(Action.NXDOMAIN);
    assertThat(l.rules()[l.addresses().match(InetAddresses.forString("2001:db8:0:1::1"))].action()).isEqualTo(Action.DROP);
    assertThat(l.problems()).singleElement().asString().contains("not supported");
  }

  @Test
  void rpz_syntaxError_failsTheListNamingFileAndLine() throws Exception {
    Path p = dir.resolve("broken.rpz");
    Files.writeString(p, "$ORIGIN rpz.test.\n@ SOA ns admin 1 2 3 4 5\nbad.example CNAME\n");
    assertThatThrownBy(() -> ListReader.read(new ListSettings("b", p, ListFormat.AUTO, Mode.ENFORCE, Action.SINKHOLE)))
        .isInstanceOf(ListLoadException.class)
        .hasMessageStartingWith(p + ":")
        .hasMessageContaining("expected a name");
  }

  @Test
  void cidr_rpzIpLabels() {
    assertThat(RpzReader.cidr("32.1.2.0.192")).isEqualTo("192.0.2.1/32");
    assertThat(RpzReader.cidr("128.1.zz.db8.2001")).isEqualTo("2001:db8::1/128");
    assertThat(RpzReader.cidr("48.zz.db8.2001")).isEqualTo("2001:db8::/48");
    assertThat(RpzReader.cidr("128.zz")).isEqualTo("::/128");
  }

  @Test
  void reload_brokenFile_keepsThePreviousCopy() throws Exception {
    Path p = dir.resolve("l.rpz");
    Files.writeString(p, "$ORIGIN rpz.test.\n@ SOA ns admin 1 2 3 4 5\nevil.example CNAME .\n");
    PolicyLists lists = new PolicyLists(java.util.List.of(new ListSettings("l", p, ListFormat.AUTO, Mode.ENFORCE, Action.SINKHOLE)));
    assertThat(lists.reloadAll()).isZero();
    Files.writeString(p, "$ORIGIN rpz.test.\n@ SOA ns admin 1 2 3 4 5\nevil.example CNAME\nmore.example CNAME .\n");
    assertThat(lists.reloadChanged()).isEqualTo(1);
    assertThat(lists.snapshot()).singleElement().satisfies(l -> assertThat(l.names().match("evil.example")).isGreaterThanOrEqualTo(0));
    Files.writeString(p, "$ORIGIN rpz.test.\n@ SOA ns admin 1 2 3 4 5\nother.example CNAME .\n");
    assertThat(lists.reloadChanged()).isZero();
    assertThat(lists.snapshot().get(0).names().match("evil.example")).isNegative();
    assertThat(lists.snapshot().get(0).names().match("other.example")).isGreaterThanOrEqualTo(0);
  }

  @Test
  void reloadChanged_fileEmptied_keepsThePreviousCopy() throws Exception {
    Path p = dir.resolve("l.txt");
    Files.writeString(p, "evil.example\n");
    PolicyLists lists = new PolicyLists(java.util.List.of(new ListSettings("l", p, ListFormat.DOMAINS, Mode.ENFORCE, Action.SINKHOLE)));
    lists.reloadAll();
    Files.writeString(p, ""); // a download that failed half way
    assertThat(lists.reloadChanged()).isEqualTo(1);
    assertThat(lists.snapshot().get(0).names().match("evil.example")).isGreaterThanOrEqualTo(0);
    assertThat(lists.reloadAll()).isZero(); // on demand, the operator means it
    assertThat(lists.snapshot().get(0).entries()).isZero();
  }
}
