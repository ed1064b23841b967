package io.fluxguard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.protocol.Answers;
import io.fluxguard.protocol.ClientQuery;
import io.fluxguard.protocol.Queries;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.protocol.ResponseTemplate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void get_beforeTtlRunsOut_returnsAnswerWithCountedDownTtl() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("a.example.", Type.A);
    store(cache, query, Answers.a(query, 1, 300));
    ticker.advance(Duration.ofSeconds(100));
    CachedAnswer hit = cache.get(key(query));
    assertThat(hit).isNotNull();
    assertThat(servedTtl(cache, query, hit)).isEqualTo(200);
  }

  @Test
  void get_afterTtlRunsOut_misses() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("a.example.", Type.A);
    store(cache, query, Answers.a(query, 1, 300));
    ticker.advance(Duration.ofSeconds(301));
    assertThat(cache.get(key(query))).isNull();
  }

  @Test
  void get_differentCase_sameEntry() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("a.example.", Type.A);
    store(cache, query, Answers.a(query, 1, 300));
    assertThat(cache.get(key(Queries.message("A.EXAMPLE.", Type.A)))).isNotNull();
  }

  @Test
  void get_doBitDiffers_separateEntries() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("a.example.", Type.A);
    store(cache, query, Answers.a(query, 1, 300));
    Message withDo = Queries.withEdns(Queries.message("a.example.", Type.A), 1232, true);
    assertThat(cache.get(key(withDo))).isNull();
  }

  @Test
  void put_ttlAboveMax_clampedInCacheAndServedAnswer() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(100, Duration.ZERO, Duration.ofSeconds(60), Duration.ofHours(1)), ticker);
    Message query = Queries.message("a.example.", Type.A);
    CachedAnswer stored = store(cache, query, Answers.a(query, 1, 86400));
    assertThat(stored.ttlSeconds()).isEqualTo(60);
    assertThat(servedTtl(cache, query, stored)).isEqualTo(60);
    ticker.advance(Duration.ofSeconds(61));
    assertThat(cache.get(key(query))).isNull();
  }

  @Test
  void put_ttlBelowMin_raisedToMin() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(100, Duration.ofSeconds(30), Duration.ofDays(1), Duration.ofHours(1)), ticker);
    Message query = Queries.message("a.example.", Type.A);
    store(cache, query, Answers.a(query, 1, 5));
    ticker.advance(Duration.ofSeconds(10));
    CachedAnswer hit = cache.get(key(query));
    assertThat(hit).isNotNull();
    assertThat(servedTtl(cache, query, hit)).isEqualTo(20);
  }

  @Test
  void put_nxdomain_cachedForLesserOfSoaTtlAndMinimum() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("nope.example.", Type.A);
    CachedAnswer stored = store(cache, query, Answers.nxdomain(query, 3600, 120));
    assertThat(stored.ttlSeconds()).isEqualTo(120);
    ticker.advance(Duration.ofSeconds(119));
    assertThat(cache.get(key(query))).isNotNull();
    ticker.advance(Duration.ofSeconds(2));
    assertThat(cache.get(key(query))).isNull();
  }

  @Test
  void put_nxdomainAboveNegativeCeiling_clamped() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(100, Duration.ZERO, Duration.ofDays(1), Duration.ofSeconds(30)), ticker);
    Message query = Queries.message("nope.example.", Type.A);
    assertThat(store(cache, query, Answers.nxdomain(query, 3600, 3600)).ttlSeconds()).isEqualTo(30);
  }

  @Test
  void put_negativeWithoutSoa_notCached() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("nope.example.", Type.A);
    store(cache, query, Answers.reply(query, Rcode.NXDOMAIN));
    assertThat(cache.get(key(query))).isNull();
  }

  @Test
  void put_servfail_notCached() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("broken.example.", Type.A);
    store(cache, query, Answers.reply(query, Rcode.SERVFAIL));
    assertThat(cache.get(key(query))).isNull();
  }

  @Test
  void put_maxTtlZero_cachingOffAndTtlsUntouched() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(100, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)), ticker);
    Message query = Queries.message("a.example.", Type.A);
    CachedAnswer stored = store(cache, query, Answers.a(query, 1, 300));
    assertThat(cache.get(key(query))).isNull();
    assertThat(servedTtl(cache, query, stored)).isEqualTo(300);
  }

  @Test
  void put_moreThanMaxEntries_sizeStaysBounded() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(50, Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1)), ticker);
    for (int i = 0; i < 500; i++) {
      Message query = Queries.message("n" + i + ".example.", Type.A);
      store(cache, query, Answers.a(query, 1, 300));
    }
    cache.cleanUp();
    assertThat(cache.size()).isLessThanOrEqualTo(50);
  }

  private static CacheKey key(Message query) {
    return CacheKey.of(Queries.decode(query));
  }

  private static CachedAnswer store(ResponseCache cache, Message query, Message answer) {
    Record q = query.getQuestion();
    return cache.put(key(query), answer, ResponseTemplate.of(answer, q.getName(), q.getType(), q.getDClass()));
  }

  private static long servedTtl(ResponseCache cache, Message query, CachedAnswer answer) {
    ClientQuery q = Queries.decode(query);
    byte[] wire =
        new ResponseEncoder(1232).answer(q, answer.template(), answer.ageSeconds(cache.now()), cache.clamp(), 65535);
    return Queries.parse(wire).getSection(Section.ANSWER).get(0).getTTL();
  }
}
