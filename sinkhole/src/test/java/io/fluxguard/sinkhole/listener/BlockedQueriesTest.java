package io.fluxguard.sinkhole.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BlockedQueriesTest {
  private static final Instant T = Instant.parse("2025-05-02T09:00:00Z");

  private final FakeTicker ticker = new FakeTicker();
  private final BlockedQueries queries = new BlockedQueries(1000, Duration.ofHours(1), ticker);
  private final InetAddress alice = address("10.0.0.1");
  private final InetAddress bob = address("10.0.0.2");

  @Test
  void find_hostOfAnEarlierQuery_returnsThatQueryNotTheLatest() {
    queries.record(alice, "evil.example", "fast flux, score 0.97", T);
    queries.record(alice, "other.example", "block list", T.plusSeconds(5));

    assertThat(queries.find(alice, "evil.example"))
        .contains(new BlockedQuery("evil.example", "fast flux, score 0.97", T));
  }

  @Test
  void find_hostInOtherCaseWithTrailingDot_matches() {
    queries.record(alice, "Evil.Example.", "fast flux", T);
    queries.record(alice, "other.example", "block list", T.plusSeconds(5));

    assertThat(queries.find(alice, "EVIL.example.")).map(BlockedQuery::name).contains("evil.example");
  }

  @Test
  void find_unknownHost_fallsBackToTheClientsLatestQuery() {
    queries.record(alice, "evil.example", "fast flux", T);
    queries.record(alice, "other.example", "block list", T.plusSeconds(5));

    assertThat(queries.find(alice, "cdn.unrelated.example")).map(BlockedQuery::name).contains("other.example");
  }

  @Test
  void find_noHost_fallsBackToTheClientsLatestQuery() {
    queries.record(alice, "evil.example", "fast flux", T);

    assertThat(queries.find(alice, null)).map(BlockedQuery::name).contains("evil.example");
  }

  @Test
  void find_anotherClientsQuery_isNotReturned() {
    queries.record(alice, "evil.example", "fast flux", T);

    assertThat(queries.find(bob, "evil.example")).isEmpty();
    assertThat(queries.find(bob, null)).isEmpty();
  }

  @Test
  void find_afterRetention_returnsNothing() {
    queries.record(alice, "evil.example", "fast flux", T);
    ticker.advance(Duration.ofMinutes(59));
    assertThat(queries.find(alice, "evil.example")).isPresent();

    ticker.advance(Duration.ofMinutes(2));

    assertThat(queries.find(alice, "evil.example")).isEmpty();
    assertThat(queries.find(alice, null)).isEmpty();
  }

  @Test
  void find_exactMatchExpired_fallsBackToAFresherQuery() {
    queries.record(alice, "evil.example", "fast flux", T);
    ticker.advance(Duration.ofMinutes(40));
    queries.record(alice, "other.example", "block list", T.plusSeconds(2400));
    ticker.advance(Duration.ofMinutes(30));

    assertThat(queries.find(alice, "evil.example")).map(BlockedQuery::name).contains("other.example");
  }

  @Test
  void record_repeatedQuery_keepsTheLatestTimeAndReason() {
    queries.record(alice, "evil.example", "block list", T);
    queries.record(alice, "evil.example", "fast flux", T.plusSeconds(60));

    assertThat(queries.find(alice, "evil.example"))
        .contains(new BlockedQuery("evil.example", "fast flux", T.plusSeconds(60)));
  }

  @Test
  void record_pastMaxEntries_forgetsTheExcess() {
    BlockedQueries small = new BlockedQueries(10, Duration.ofHours(1), ticker);
    for (int i = 0; i < 1000; i++) {
      small.record(alice, "n" + i + ".example", "r", T);
    }

    long remembered = 0;
    for (int i = 0; i < 1000; i++) {
      String name = "n" + i + ".example";
      if (small.find(alice, name).map(BlockedQuery::name).filter(name::equals).isPresent()) {
        remembered++;
      }
    }
    assertThat(remembered).isBetween(1L, 10L);
  }

  @Test
  void constructor_nonPositiveBounds_rejectedNamingTheValue() {
    assertThatThrownBy(() -> new BlockedQueries(0, Duration.ofHours(1), ticker))
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> new BlockedQueries(10, Duration.ZERO, ticker)).hasMessageContaining("PT0S");
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
