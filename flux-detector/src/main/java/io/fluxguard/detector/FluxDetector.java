package io.fluxguard.detector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.cluster.FluxNetworkIndex;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.evidence.AddressKey;
import io.fluxguard.detector.evidence.AnswerObservation;
import io.fluxguard.detector.evidence.NameEvidence;
import io.fluxguard.detector.org.Organisations;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.FluxScorer;

/**
 * Observes answers and judges names. For each answer holding addresses it records the evidence
 * under the name holding them (a CNAME alias shares its target's evidence) and under the target's
 * registered domain, and returns the higher of the two assessments. Thread-safe: state is in
 * bounded Caffeine caches and each evidence object is locked only while it is updated and scored
 * (one at a time, never nested).
 */
public final class FluxDetector {
  private final DetectorSettings settings;
  private final Ticker ticker;
  private final RegisteredDomains registeredDomains;
  private final Organisations organisations;
  private final FluxScorer scorer;
  private final Cache<String, NameEvidence> names;
  private final Cache<String, NameEvidence> domains;
  private final FluxNetworkIndex index;
  /** Evidence keys of IPv6 answers: the name plus this, which no DNS name contains. */
  private static final String V6_SUFFIX = " aaaa";
  // Registered domain, CDN and pool of recently seen names: the public-suffix and suffix-table
  // walks cost more than everything else on the path, and popular names repeat.
  private final Cache<String, NameFacts> facts = Caffeine.newBuilder().maximumSize(20_000).build();

  public FluxDetector(
      DetectorSettings settings,
      AsnDatabase asns,
      Organisations organisations,
      RegisteredDomains registeredDomains,
      Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
    this.registeredDomains = registeredDomains;
    this.organisations = organisations;
    this.scorer = new FluxScorer(settings.score(), asns, organisations);
    this.names = Caffeine.newBuilder().maximumSize(settings.maxNames()).expireAfterWrite(settings.window()).ticker(ticker).build();
    this.domains = Caffeine.newBuilder().maximumSize(settings.maxNames()).expireAfterWrite(settings.window()).ticker(ticker).build();
    this.index = new FluxNetworkIndex(settings.maxIndexedAddresses(), settings.window(), ticker);
  }

  /**
   * Records one upstream answer and judges the name holding its addresses.
   *
   * @return the assessment, or null when the answer held no addresses (NS evidence is still kept)
   */
  public FluxAssessment observe(AnswerObservation answer) {
    int now = (int) (ticker.read() / 1_000_000_000L);
    if (answer.hasNameServers()) {
      String zone = registeredDomains.of(answer.nsZone());
      NameEvidence ev = domains.get(zone, k -> new NameEvidence(settings.exactAddresses(), now));
      synchronized (ev) {
        ev.recordNameServers(answer.nsHashes(), answer.glueKeys(), now);
      }
    }
    if (!answer.hasAddresses()) {
      return null;
    }
    String owner = answer.owner();
    NameFacts known = facts.get(owner, this::factsOf);
    String domain = known.registeredDomain();
    // The CDN discount needs the addresses' holder itself under the CDN's suffix: a CNAME hop
    // through a traffic manager that ends at an outside host does not earn it.
    int cdn = known.cdnOrganisation();
    String pool = known.poolReason();
    if (pool == null && !answer.chain().isEmpty()) {
      pool = organisations.poolReason(answer.question());
    }
    FluxNetworkIndex.Match shared = index.match(answer.addressKeys(), domain);
    FluxScorer.Context context = new FluxScorer.Context(cdn, pool, shared.shared(), shared.network());

    // IPv4 and IPv6 answers of a dual-stack name alternate; kept apart, neither looks like rotation.
    boolean v6 = AddressKey.isV6(answer.addressKeys()[0]);
    NameEvidence nameEv = names.get(v6 ? owner + V6_SUFFIX : owner, k -> new NameEvidence(settings.exactAddresses(), now));
    NameEvidence domainEv = domains.get(v6 ? domain + V6_SUFFIX : domain, k -> new NameEvidence(settings.exactAddresses(), now));
    FluxAssessment byName;
    FluxAssessment byDomain;
    long[] used; // the sorted arrays are replaced, never changed in place, so no copy is needed
    // Two short critical sections, never nested: a popular registered domain is shared by many
    // names and threads. The name's score reads the domain's NS tallies without its lock; they
    // are ints and array references replaced whole, so at worst it sees the previous answer's.
    synchronized (domainEv) {
      domainEv.recordAnswer(answer.addressKeys(), answer.ttl(), now, scorer.classifier());
      byDomain = owner.equals(domain) ? null : scorer.score(domain, domain, domainEv, domainEv, context);
      used = domainEv.exactAddresses();
    }
    synchronized (nameEv) {
      nameEv.recordAnswer(answer.addressKeys(), answer.ttl(), now, scorer.classifier());
      byName = scorer.score(owner, domain, nameEv, domainEv, context);
    }
    FluxAssessment result = byDomain != null && byDomain.score() > byName.score() ? byDomain : byName;
    if (result.isFlux()) {
      // On the first flux verdict every address the domain has used joins the index; after that,
      // the new ones of each answer.
      boolean first;
      synchronized (domainEv) {
        first = domainEv.markFlagged();
      }
      index.record(first ? used : answer.addressKeys(), domain);
    }
    return result;
  }

  /** What is known of a name regardless of its answers: worked out once, then remembered. */
  private record NameFacts(String registeredDomain, int cdnOrganisation, String poolReason) {}

  private NameFacts factsOf(String name) {
    return new NameFacts(registeredDomains.of(name), organisations.cdnForName(name), organisations.poolReason(name));
  }



  /** Reads and observes an upstream answer to {@code question}, converting names through a cache. */
  public FluxAssessment observe(org.xbill.DNS.Name question, org.xbill.DNS.Message answer) {
    return observe(AnswerObservation.from(question, answer));
  }

  /** Names with evidence (estimate). */
  public long trackedNames() {
    return names.estimatedSize();
  }

  public long trackedDomains() {
    return domains.estimatedSize();
  }

  public long indexedAddresses() {
    return index.size();
  }

  /** Runs pending evictions (tests, memory measurement). */
  public void cleanUp() {
    names.cleanUp();
    domains.cleanUp();
  }
}
