package io.fluxguard.detector.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The detector's wire reader never throws, whatever the bytes (1,000 tries here; bench/fuzz.sh runs a million). */
class AnswerObservationPropertyTest {
  @Property
  void randomBytes_neverThrow(@ForAll @Size(max = 1500) byte[] wire) {
    AnswerObservation o = AnswerObservation.fromWire(wire);
    assertThat(o).isNotNull();
    assertThat(o.chain().size()).isLessThanOrEqualTo(16);
  }

  @Property
  void randomBytesBehindAValidHeaderAndQuestion_neverThrow(@ForAll @Size(max = 1500) byte[] body) {
    byte[] head = {0, 0, (byte) 0x81, (byte) 0x80, 0, 1, 0, 8, 0, 2, 0, 2, 3, 'w', 'w', 'w', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
    byte[] wire = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, wire, head.length, body.length);
    assertThat(AnswerObservation.fromWire(wire)).isNotNull();
  }
}
