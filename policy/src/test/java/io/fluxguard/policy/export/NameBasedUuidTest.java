package io.fluxguard.policy.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class NameBasedUuidTest {
  private static final UUID DNS = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  private static final UUID STIX = UUID.fromString(StixExport.NAMESPACE);

  @Test
  void v5_rfc9562Example_matches() {
    // RFC 9562 Appendix A.4: the DNS namespace and "www.example.com"
    assertThat(NameBasedUuid.v5(DNS, "www.example.com")).hasToString("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  }

  @Test
  void v5_stixNamespace_matchesAnIndependentImplementation() {
    // expected values from Python's uuid.uuid5
    assertThat(NameBasedUuid.v5(STIX, "{\"value\":\"example.com\"}")).hasToString("bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
    assertThat(NameBasedUuid.v5(STIX, "\u00e9")).hasToString("6570eac7-36e3-552f-8a04-199d1cea3c1e"); // UTF-8, not Latin-1
  }

  @Test
  void v5_versionAndVariantBits() {
    UUID u = NameBasedUuid.v5(STIX, "anything");
    assertThat(u.version()).isEqualTo(5);
    assertThat(u.variant()).isEqualTo(2); // RFC 4122 / 9562 variant
  }
}
