package io.fluxguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path resolvConf(String text) throws IOException {
    Path p = dir.resolve("resolv.conf");
    Files.writeString(p, text);
    return p;
  }

  private Path yaml(String text) throws IOException {
    Path p = dir.resolve("fluxguard.yml");
    Files.writeString(p, text);
    return p;
  }

  private FluxguardConfig load(Path file, Map<String, String> env, Map<String, List<String>> cli)
      throws Exception {
    return new ConfigLoader(env, resolvConf("nameserver 192.0.2.53\n")).load(file, cli);
  }

  @Test
  void load_noFile_givesDocumentedDefaults() throws Exception {
    FluxguardConfig c = load(null, Map.of(), Map.of());
    assertThat(c.server().listen())
        .containsExactly(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("::1", 5353));
    assertThat(c.server().ednsPayloadSize()).isEqualTo(1232);
    assertThat(c.upstream().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.upstream().servers()).containsExactly(new InetSocketAddress("192.0.2.53", 53));
    assertThat(c.cache().maxTtl()).isEqualTo(Duration.ofDays(1));
    assertThat(c.admin().listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8053));
  }

  @Test
  void load_shippedDefaultFile_equalsBuiltInDefaults() throws Exception {
    Path shipped = Path.of("..", "config", "fluxguard.yml");
    assertThat(load(shipped, Map.of(), Map.of())).isEqualTo(load(null, Map.of(), Map.of()));
  }

  @Test
  void load_validFile_mapsEveryKey() throws Exception {
    FluxguardConfig c =
        load(
            yaml(
                """
                server:
                  listen: ["127.0.0.1:10053", "[::1]:10053"]
                  tcp-idle-timeout: 30s
                upstream:
                  servers: [192.0.2.1, "192.0.2.2:5300"]
                  timeout: 2500ms
                cache:
                  max-ttl: 0
                data-dir: /var/lib/fluxguard
                """),
            Map.of(),
            Map.of());
    assertThat(c.server().listen()).hasSize(2);
    assertThat(c.server().tcpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.upstream().servers())
        .containsExactly(new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("192.0.2.2", 5300));
    assertThat(c.upstream().timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.cache().enabled()).isFalse();
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/fluxguard"));
  }

  @Test
  void load_severalBadValues_reportsEveryOneWithFileLineAndKey() throws Exception {
    Path file =
        yaml(
            """
            server:
              listen: ["127.0.0.1:99999"]
              threads: lots
            upstream:
              timeout: soon
            cache:
              max-entries: -5
              colour: blue
            """);
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                        file + ":2: server.listen: expected an address like 127.0.0.1:5353 or [::1]:5353 (port 99999 is outside 0..65535), got \"127.0.0.1:99999\"",
                        file + ":3: server.threads: expected an integer from 0 to 256, got \"lots\"",
                        file + ":5: upstream.timeout: expected a duration from 100ms to 1m such as 500ms, 30s, 5m, 1h or 1d, got \"soon\"",
                        file + ":7: cache.max-entries: expected an integer from 0 to 100000000, got \"-5\"",
                        file + ":8: cache.colour: unknown key"));
  }

  @Test
  void load_unknownTopLevelSection_reported() throws Exception {
    Path file = yaml("servre:\n  listen: [\"127.0.0.1:1\"]\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).containsExactly(file + ":1: servre: unknown key"));
  }

  @Test
  void load_invalidYaml_namesFileAndLine() throws Exception {
    Path file = yaml("server:\n  listen: [\"a\"\n  threads: 2\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors().get(0)).startsWith(file + ":").contains("invalid YAML"));
  }

  @Test
  void load_missingFile_saysSo() {
    Path file = dir.resolve("nope.yml");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.errors()).containsExactly(file + ": file not found"));
  }

  @Test
  void load_environmentVariable_overridesFile() throws Exception {
    Path file = yaml("cache:\n  max-ttl: 1h\n");
    FluxguardConfig c = load(file, Map.of("FLUXGUARD_CACHE_MAX_TTL", "0"), Map.of());
    assertThat(c.cache().maxTtl()).isZero();
  }

  @Test
  void load_badEnvironmentVariable_namesVariable() throws Exception {
    assertThatThrownBy(() -> load(null, Map.of("FLUXGUARD_UPSTREAM_TIMEOUT", "x"), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors().get(0)).startsWith("environment FLUXGUARD_UPSTREAM_TIMEOUT: upstream.timeout: expected"));
  }

  @Test
  void load_commandLine_overridesEnvironmentAndFile() throws Exception {
    Path file = yaml("upstream:\n  servers: [192.0.2.1]\n");
    FluxguardConfig c =
        load(
            file,
            Map.of("FLUXGUARD_UPSTREAM_SERVERS", "192.0.2.2"),
            Map.of("upstream.servers", List.of("192.0.2.3:5353", "192.0.2.4")));
    assertThat(c.upstream().servers())
        .containsExactly(new InetSocketAddress("192.0.2.3", 5353), new InetSocketAddress("192.0.2.4", 53));
  }

  @Test
  void load_attemptTimeoutAboveTimeout_rejected() throws Exception {
    Path file = yaml("upstream:\n  timeout: 1s\n  attempt-timeout: 2s\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).containsExactly(file + ":3: upstream.attempt-timeout: upstream.attempt-timeout (2s) must not exceed upstream.timeout (1s)"));
  }

  @Test
  void load_timeoutBelowDefaultAttemptTimeout_blamesTheKeySet() throws Exception {
    Path file = yaml("upstream:\n  timeout: 500ms\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).containsExactly(file + ":2: upstream.timeout: upstream.attempt-timeout (1s) must not exceed upstream.timeout (500ms)"));
  }

  @Test
  void load_attemptTimeoutFromEnvironment_namesTheVariable() throws Exception {
    assertThatThrownBy(() -> load(null, Map.of("FLUXGUARD_UPSTREAM_ATTEMPT_TIMEOUT", "5s"), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors().get(0)).startsWith("environment FLUXGUARD_UPSTREAM_ATTEMPT_TIMEOUT: upstream.attempt-timeout:"));
  }

  @Test
  void load_subSecondTtl_rejected() throws Exception {
    Path file = yaml("cache:\n  max-ttl: 500ms\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).containsExactly(file + ":2: cache.max-ttl: expected whole seconds (a TTL), got 500ms"));
  }

  @Test
  void load_emptySection_accepted() throws Exception {
    assertThat(load(yaml("admin:\n  # listen: 127.0.0.1:8053\ncache:\n"), Map.of(), Map.of()).cache()).isEqualTo(io.fluxguard.cache.CacheSettings.DEFAULTS);
  }

  @Test
  void load_dottedKey_rejectedNotIgnored() throws Exception {
    Path file = yaml("server.listen: [\"127.0.0.1:9\"]\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).containsExactly(file + ":1: server.listen: keys are nested, not dotted: write each part on its own indented line"));
  }

  @Test
  void load_badValuesThatUsedToSlipThrough_allReported() throws Exception {
    Path file = yaml("server:\n  threads: [4]\nupstream:\n  servers: [\"192.0.2.1:0\", \"192.168.1\"]\n");
    assertThatThrownBy(() -> load(file, Map.of("FLUXGUARD_CACHE_MAXTTL", "0"), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).containsExactlyInAnyOrder(
                file + ":2: server.threads: expected an integer from 0 to 256 (one value, not a list), got \"4\"",
                file + ":4: upstream.servers: expected an address like 9.9.9.9:53 (an upstream needs a port from 1 to 65535), got \"192.0.2.1:0\"",
                file + ":4: upstream.servers: expected an address like 9.9.9.9:53 ('192.168.1' is not a dotted-quad IPv4 address), got \"192.168.1\"",
                "environment FLUXGUARD_CACHE_MAXTTL: unknown variable (no configuration key cache_maxttl)"));
  }

  @Test
  void load_duplicateKey_rejectedWithItsLine() throws Exception {
    Path file = yaml("cache:\n  max-ttl: 1h\n  max-ttl: 2h\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors().get(0)).startsWith(file + ":3: invalid YAML: Duplicate field 'max-ttl'"));
  }

  @Test
  void load_resolvConfWithOnlyLoopback_fallsBackToQuad9() throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of(), resolvConf("nameserver 127.0.0.53\nnameserver ::1\n"));
    FluxguardConfig c = loader.load(null, Map.of());
    assertThat(c.upstream().servers())
        .containsExactly(new InetSocketAddress("9.9.9.9", 53), new InetSocketAddress("149.112.112.112", 53));
    assertThat(loader.notes()).anyMatch(n -> n.contains("127.0.0.53"));
  }

  @Test
  void load_resolvConfMixed_keepsNonLoopbackInOrder() throws Exception {
    ConfigLoader loader =
        new ConfigLoader(
            Map.of(),
            resolvConf("# comment\nsearch example\nnameserver 127.0.0.1\nnameserver 192.0.2.9\nnameserver 2001:db8::53\n"));
    assertThat(loader.load(null, Map.of()).upstream().servers())
        .containsExactly(new InetSocketAddress("192.0.2.9", 53), new InetSocketAddress("2001:db8::53", 53));
  }

  @Test
  void load_policyAndSinkhole_mapsEveryKey() throws Exception {
    FluxguardConfig c =
        load(
            yaml(
                """
                policy:
                  modes:
                    suspicious: enforce
                    flux: monitor
                  allow: [Good.Example.]
                  deny: [bad.example]
                  lists:
                    malware:
                      path: /etc/fluxguard/malware.rpz
                      mode: monitor
                    ads:
                      path: /etc/fluxguard/ads.txt
                      format: adblock
                      action: nxdomain
                  list-check-interval: 1m
                  client-groups:
                    analysts:
                      networks: [10.9.0.0/24, "2001:db8:9::/48"]
                      sources: [allow]
                  detection-expiry: 3d
                sinkhole:
                  ipv4: 192.0.2.53
                  ipv6: "2001:db8::53"
                  ttl: 30s
                  http-listen: ["192.0.2.53"]
                  tls-listen: ["192.0.2.53:8443"]
                  contact: Call 555-0100.
                """),
            Map.of(),
            Map.of());
    var p = c.policy();
    assertThat(p.mode(io.fluxguard.policy.Source.SUSPICIOUS)).isEqualTo(io.fluxguard.policy.Mode.ENFORCE);
    assertThat(p.mode(io.fluxguard.policy.Source.FLUX)).isEqualTo(io.fluxguard.policy.Mode.MONITOR);
    assertThat(p.mode(io.fluxguard.policy.Source.DETECTIONS)).isEqualTo(io.fluxguard.policy.Mode.ENFORCE);
    assertThat(p.allow()).containsExactly("good.example");
    assertThat(p.lists()).extracting(l -> l.name() + " " + l.format().key() + " " + l.mode().key() + " " + l.action().key())
        .containsExactly("malware auto monitor sinkhole", "ads adblock enforce nxdomain");
    assertThat(p.listCheckInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.clientGroups()).singleElement().satisfies(g -> {
      assertThat(g.networks()).containsExactly("10.9.0.0/24", "2001:db8:9::/48");
      assertThat(g.sources()).containsExactly(io.fluxguard.policy.Source.ALLOW);
    });
    assertThat(p.detectionExpiry()).isEqualTo(Duration.ofDays(3));
    assertThat(c.sinkhole().ipv4().getHostAddress()).isEqualTo("192.0.2.53");
    assertThat(c.sinkhole().ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.sinkholeListener().listeners()).extracting(e -> e.address().getPort() + "/" + e.protocol())
        .containsExactly("80/HTTP", "8443/TLS");
    assertThat(c.sinkholeListener().contact()).isEqualTo("Call 555-0100.");
  }

  @Test
  void load_badPolicyValues_everyErrorWithFileLineAndKey() throws Exception {
    Path file =
        yaml(
            """
            policy:
              modes:
                flux: block
                allow: monitor
              lists:
                malware:
                  format: rpz
                  colour: red
              client-groups:
                analysts:
                  networks: [10.9.0.0/33]
                  sources: [everything]
            sinkhole:
              ipv4: "::1"
            """);
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors())
                .anyMatch(m -> m.startsWith(file + ":3: policy.modes.flux: expected enforce, monitor or off"))
                .anyMatch(m -> m.startsWith(file + ":4: policy.modes.allow") && m.contains("enforce or off"))
                .anyMatch(m -> m.contains("policy.lists.malware.path is required"))
                .anyMatch(m -> m.equals(file + ":8: policy.lists.malware.colour: unknown key"))
                .anyMatch(m -> m.startsWith(file + ":11: policy.client-groups.analysts.networks: expected an address or CIDR")
                    && m.contains("prefix length must be 0..32"))
                .anyMatch(m -> m.startsWith(file + ":12: policy.client-groups.analysts.sources"))
                .anyMatch(m -> m.startsWith(file + ":14: sinkhole.ipv4: expected an IPv4 address")));
  }

  @Test
  void load_adminTokens_fromFileAndLists_nonLoopbackNeedsOne_noTokenEverEchoed() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# role token\noperator 0123456789abcdef0123\nviewer short\nmanager 0123456789abcdef0123\n");
    Path file = yaml("admin:\n  listen: 0.0.0.0:8053\n  token-file: " + tokens + "\n  viewer-tokens: [\"tiny\"]\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors())
                .anyMatch(m -> m.contains(tokens + ":3: a token needs at least 16 characters"))
                .anyMatch(m -> m.contains(tokens + ":4: a role is viewer or operator"))
                .anyMatch(m -> m.contains("admin.viewer-tokens (token 1): a token needs at least 16 characters"))
                .noneMatch(m -> m.contains("short") || m.contains("tiny") || m.contains("0123456789abcdef0123")));
    Path open = yaml("admin:\n  listen: 0.0.0.0:8053\n");
    assertThatThrownBy(() -> load(open, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.errors()).singleElement().asString().contains("is not a loopback address").contains("needs tokens"));
    Files.writeString(tokens, "operator 0123456789abcdef0123\n");
    FluxguardConfig c = load(yaml("admin:\n  listen: 0.0.0.0:8053\n  token-file: " + tokens + "\n"), Map.of(), Map.of());
    assertThat(c.admin().tokens()).singleElement().satisfies(t -> assertThat(t.role()).isEqualTo(io.fluxguard.admin.AdminToken.Role.OPERATOR));
    assertThat(c.describe()).contains("admin.tokens=[operator:").doesNotContain("0123456789abcdef0123");
  }

  @Test
  void load_unquotedOff_whichYamlReadsAsFalse_isOff() throws Exception {
    FluxguardConfig c = load(yaml("detector:\n  mode: off\npolicy:\n  modes:\n    suspicious: off\nquery-log:\n  mode: off\n"), Map.of(), Map.of());
    assertThat(c.detection().mode()).isEqualTo(io.fluxguard.detection.DetectionMode.OFF);
    assertThat(c.policy().mode(io.fluxguard.policy.Source.SUSPICIOUS)).isEqualTo(io.fluxguard.policy.Mode.OFF);
    assertThat(c.queryLog().mode()).isEqualTo(io.fluxguard.querylog.QueryLogSettings.Mode.OFF);
  }

  @Test
  void load_alerts_urlsCheckedSyslogDefaultPort() throws Exception {
    FluxguardConfig c = load(yaml("alerts:\n  webhooks: [\"https://siem.example/hook?key=s3cret\"]\n  syslog: 192.0.2.9\n  retry-initial: 2s\n"), Map.of(), Map.of());
    assertThat(c.alerts().webhooks()).hasSize(1);
    assertThat(c.alerts().syslog()).isEqualTo(new InetSocketAddress("192.0.2.9", 514));
    assertThat(c.alerts().retryInitial()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.describe()).doesNotContain("s3cret");
    Path bad = yaml("alerts:\n  webhooks: [\"ftp://siem.example/\"]\n");
    assertThatThrownBy(() -> load(bad, Map.of(), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.errors()).singleElement().asString().startsWith(bad + ":2: alerts.webhooks: expected an http:// or https:// URL"));
  }
}
