package io.fluxguard.detector.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrganisationsTest {
  private final Organisations orgs = Organisations.builtIn();
  @TempDir Path dir;

  @Test
  void akamaiAsns_countAsOneOrganisation() {
    assertThat(orgs.organisationOf(20940)).isEqualTo(orgs.organisationOf(16625)).isEqualTo(orgs.organisationOf(12222));
    assertThat(orgs.name(orgs.organisationOf(20940))).isEqualTo("Akamai");
    assertThat(orgs.kind(orgs.organisationOf(20940))).isEqualTo(OrganisationKind.CDN);
  }

  @Test
  void unlistedAsn_isItsOwnOrganisation() {
    int a = orgs.organisationOf(7922);
    assertThat(orgs.isListed(a)).isFalse();
    assertThat(a).isNotEqualTo(orgs.organisationOf(3320));
    assertThat(orgs.name(a)).isEqualTo("AS7922");
  }

  @Test
  void cnameSuffix_matchesWholeLabelsOnly() {
    assertThat(orgs.name(orgs.cdnForName("e1234.a.akamaiedge.net."))).isEqualTo("Akamai");
    assertThat(orgs.name(orgs.cdnForName("d111.CloudFront.net"))).isEqualTo("Amazon");
    assertThat(orgs.cdnForName("evil-akamaiedge.net")).isEqualTo(-1);
    assertThat(orgs.cdnForName("example.com")).isEqualTo(-1);
  }

  @Test
  void knownPools_haveAReason() {
    assertThat(orgs.poolReason("2.debian.pool.ntp.org.")).contains("NTP Pool");
    assertThat(orgs.poolReason("irc.libera.chat")).contains("IRC");
    assertThat(orgs.poolReason("ntp.org")).isNull();
  }

  @Test
  void operatorFile_extendsTheBuiltInKnowledge() throws IOException {
    Path f = dir.resolve("extra.txt");
    Files.writeString(f, "org Hoster hosting\nasn Hoster 64500 64501\ncname Hoster hoster-cdn.example\npool lb.example.org our own load balancer\n");
    Organisations o = Organisations.load(List.of(f));
    assertThat(o.organisationOf(64500)).isEqualTo(o.organisationOf(64501));
    assertThat(o.isListed(o.organisationOf(64500))).isTrue();
    assertThat(o.name(o.cdnForName("x.hoster-cdn.example"))).isEqualTo("Hoster");
    assertThat(o.poolReason("a.lb.example.org")).isEqualTo("our own load balancer");
    assertThat(o.name(o.organisationOf(20940))).isEqualTo("Akamai");
  }

  @Test
  void badOperatorFile_everyErrorNamesFileAndLine() throws IOException {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "org X satellite\nasn Nobody 1\nasn X\nfrobnicate a b\n");
    assertThatThrownBy(() -> Organisations.load(List.of(f)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f + ":1: kind must be cdn, cloud or hosting, got 'satellite'")
        .hasMessageContaining(f + ":2: organisation 'Nobody' is not declared")
        .hasMessageContaining(f + ":3: expected")
        .hasMessageContaining(f + ":4: unknown directive 'frobnicate'");
  }
}
