package io.fluxguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * The query decoder against random and mutated packets: it never throws, and whatever it
 * answers is a well-formed DNS response with the query's ID. Tries per property: jqwik's 1,000 in the
 * test suite; {@code bench/fuzz.sh} runs a million.
 */
class QueryDecoderPropertyTest {
  private final QueryDecoder decoder = new QueryDecoder(new ResponseEncoder(1232));

  @Property
  void randomBytes_neverThrow_rejectsAnswerWithTheSameId(@ForAll @Size(max = 600) byte[] packet) {
    check(packet);
  }

  @Property
  void mutatedQueries_neverThrow_rejectsAnswerWithTheSameId(@ForAll("mutatedQueries") byte[] packet) {
    check(packet);
  }

  private void check(byte[] packet) {
    DecodeResult r = decoder.decode(packet);
    assertThat(r).isNotNull();
    if (r instanceof DecodeResult.Reject reject) {
      byte[] answer = reject.answer();
      assertThat(answer.length).isGreaterThanOrEqualTo(12);
      assertThat(answer[0]).isEqualTo(packet[0]);
      assertThat(answer[1]).isEqualTo(packet[1]);
      assertThat(answer[2] & 0x80).as("QR").isNotZero();
      Queries.parse(answer); // parses as DNS, or an AssertionError
    } else if (r instanceof DecodeResult.Query q) {
      assertThat(q.query().questionWire().length).isLessThanOrEqualTo(packet.length - 12);
    }
  }

  /** Valid queries (with and without EDNS, assorted names and types) with bytes flipped, cut or added. */
  @Provide
  Arbitrary<byte[]> mutatedQueries() {
    Arbitrary<byte[]> valid = Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20).list().ofMinSize(1).ofMaxSize(6),
            Arbitraries.of(Type.A, Type.AAAA, Type.MX, Type.TXT, Type.ANY, Type.HTTPS, 65280),
            Arbitraries.of(true, false))
        .as((labels, type, edns) -> {
          Message m = Queries.message(String.join(".", labels) + ".", type);
          return (edns ? Queries.withEdns(m, 1232, false) : m).toWire();
        });
    return Combinators.combine(valid, Arbitraries.integers().between(0, 5).list().ofMaxSize(6),
            Arbitraries.integers().between(0, 255).list().ofMinSize(6).ofMaxSize(6), Arbitraries.integers().between(-30, 30))
        .as((wire, positions, values, resize) -> {
          byte[] out = java.util.Arrays.copyOf(wire, Math.max(12, wire.length + resize));
          java.util.Random random = new java.util.Random(positions.hashCode() * 31L + values.hashCode());
          for (int i = 0; i < positions.size(); i++) {
            out[random.nextInt(out.length)] = (byte) (int) values.get(i);
          }
          out[2] &= 0x7F; // keep QR clear so most mutants get past the first check
          return out;
        });
  }
}
