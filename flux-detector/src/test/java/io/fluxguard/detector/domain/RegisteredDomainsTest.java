package io.fluxguard.detector.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisteredDomainsTest {
  @TempDir Path dir;

  @Test
  void guava_icannAndPrivateSuffixes() {
    RegisteredDomains d = RegisteredDomains.guava();
    assertThat(d.of("www.Example.co.uk.")).isEqualTo("example.co.uk");
    assertThat(d.of("a.b.example.com")).isEqualTo("example.com");
    assertThat(d.of("alice.github.io")).isEqualTo("alice.github.io");
    assertThat(d.of("news.bbc.co.uk")).isEqualTo("bbc.co.uk");
    assertThat(d.of("com")).isEqualTo("com");
    assertThat(d.of("co.uk")).isEqualTo("co.uk");
    assertThat(d.of("www.evil.test")).isEqualTo("evil.test");
    assertThat(d.of("_dmarc.example.com")).isEqualTo("_dmarc.example.com");
  }

  @Test
  void listFile_rulesWildcardsAndExceptions() throws Exception {
    Path psl = dir.resolve("public_suffix_list.dat");
    Files.writeString(
        psl,
        "// comment\ncom\nuk\nco.uk\n*.kawasaki.jp\n!city.kawasaki.jp\n// ===BEGIN PRIVATE DOMAINS===\ngithub.io\n");
    RegisteredDomains d = RegisteredDomains.fromFile(psl);
    assertThat(d.of("www.example.co.uk")).isEqualTo("example.co.uk");
    assertThat(d.of("x.y.example.com")).isEqualTo("example.com");
    assertThat(d.of("alice.github.io")).isEqualTo("alice.github.io");
    assertThat(d.of("a.b.kawasaki.jp")).isEqualTo("a.b.kawasaki.jp");
    assertThat(d.of("www.city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
    assertThat(d.of("host.unlisted")).isEqualTo("host.unlisted");
  }
}
