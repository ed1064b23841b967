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

  @Test
  void nxdomain_soaServedWithLesserOfItsTtlAndMinimumCountedDown() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("nope.example.", Type.A);
    store(cache, query, Answers.nxdomain(query, 900, 60));
    ticker.advance(Duration.ofSeconds(2));
    assertThat(servedSoaTtl(cache, query, cache.get(key(query)))).isEqualTo(58);
  }

  @Test
  void nxdomain_soaTtlCappedByMaxNegativeTtl() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(100, Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1)), ticker);
    Message query = Queries.message("nope.example.", Type.A);
    CachedAnswer stored = store(cache, query, Answers.nxdomain(query, 86400, 86400));
    assertThat(stored.ttlSeconds()).isEqualTo(3600);
    assertThat(servedSoaTtl(cache, query, stored)).isEqualTo(3600);
  }

  @Test
  void cnameThenNodata_cachedAsNegativeForTheSoaMinimum() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("alias.example.", Type.AAAA);
    Message answer = Answers.reply(query, Rcode.NOERROR);
    answer.addRecord(new org.xbill.DNS.CNAMERecord(Answers.name("alias.example."), 1, 300, Answers.name("target.example.")), Section.ANSWER);
    answer.addRecord(Answers.soa(3600, 60), Section.AUTHORITY);
    CachedAnswer stored = store(cache, query, answer);
    assertThat(stored.template().negative()).isTrue();
    assertThat(stored.ttlSeconds()).isEqualTo(60);
  }

  @Test
  void nxdomainWithShortCname_cachedNoLongerThanTheCname() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("alias.example.", Type.A);
    Message answer = Answers.reply(query, Rcode.NXDOMAIN);
    answer.addRecord(new org.xbill.DNS.CNAMERecord(Answers.name("alias.example."), 1, 30, Answers.name("gone.example.")), Section.ANSWER);
    answer.addRecord(Answers.soa(3600, 600), Section.AUTHORITY);
    assertThat(store(cache, query, answer).ttlSeconds()).isEqualTo(30);
  }

  @Test
  void ttlWithTopBitSet_treatedAsZero() {
    ResponseCache cache =
        new ResponseCache(new CacheSettings(100, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)), ticker);
    Message query = Queries.message("odd.example.", Type.A);
    byte[] wire = Answers.a(query, 1, 0x7ABCDEF0L).toWire();
    for (int i = 0; i + 4 <= wire.length; i++) { // dnsjava builds no such record; patch the wire
      if ((wire[i] & 0xFF) == 0x7A && (wire[i + 1] & 0xFF) == 0xBC && (wire[i + 2] & 0xFF) == 0xDE && (wire[i + 3] & 0xFF) == 0xF0) {
        wire[i] = (byte) 0x80;
      }
    }
    CachedAnswer stored = store(cache, query, Queries.parse(wire));
    assertThat(servedTtl(cache, query, stored)).isZero();
  }

  @Test
  void extendedRcodeFromUpstream_becomesServfailAndIsNotCached() {
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, ticker);
    Message query = Queries.message("cookie.example.", Type.A);
    Message answer = Answers.reply(query, Rcode.NOERROR);
    answer.addRecord(new org.xbill.DNS.OPTRecord(1232, 1, 0), Section.ADDITIONAL); // BADVERS/BADSIG = 16
    CachedAnswer stored = store(cache, query, answer);
    assertThat(stored.template().rcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(cache.get(key(query))).isNull();
  }

  private static long servedSoaTtl(ResponseCache cache, Message query, CachedAnswer answer) {
    ClientQuery q = Queries.decode(query);
    byte[] wire =
        new ResponseEncoder(1232).answer(q, answer.template(), answer.ageSeconds(cache.now()), cache.clampFor(answer.template()), 65535);
    return Queries.parse(wire).getSection(Section.AUTHORITY).get(0).getTTL();
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
        new ResponseEncoder(1232).answer(q, answer.template(), answer.ageSeconds(cache.now()), cache.clampFor(answer.template()), 65535);
    return Queries.parse(wire).getSection(Section.ANSWER).get(0).getTTL();
  }
}
