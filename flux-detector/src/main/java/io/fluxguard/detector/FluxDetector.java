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
    this.names = Caffeine.newBuilder().maximumSize(settings.maxNames()).expireAfterWrite(settings.window()).ticker(ticker).executor(Runnable::run).build();
    this.domains = Caffeine.newBuilder().maximumSize(settings.maxNames()).expireAfterWrite(settings.window()).ticker(ticker).executor(Runnable::run).build();
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
      NameEvidence ev = evidence(domains, zone, now);
      synchronized (ev) {
        ev.recordNameServers(answer.nsHashes(), answer.glueKeys(), now);
      }
    }
    if (!answer.hasAddresses()) {
      return null;
    }
    String owner = answer.owner();
    if (owner.isEmpty()) {
      return null; // the root holds no addresses worth judging (and a malformed answer reads as none)
    }
    // IPv4 and IPv6 answers of a dual-stack name alternate; kept apart, neither looks like rotation.
    boolean v6 = AddressKey.isV6(answer.addressKeys()[0]);
    NameEvidence nameEv = nameEvidence(owner, v6 ? owner + V6_SUFFIX : owner, now);
    int start = nameEv.domainStart();
    String domain = start == 0 ? owner : start > 0 ? owner.substring(start) : registeredDomains.of(owner);
    // The CDN discount needs the addresses' holder itself under the CDN's suffix: a CNAME hop
    // through a traffic manager that ends at an outside host does not earn it.
    int cdn = nameEv.cdnOrganisation();
    String pool = nameEv.poolReason();
    if (pool == null && !answer.chain().isEmpty()) {
      pool = organisations.poolReason(answer.question());
    }
    FluxNetworkIndex.Match shared = index.match(answer.addressKeys(), domain);
    FluxScorer.Context context = new FluxScorer.Context(cdn, pool, shared.shared(), shared.network());
    NameEvidence domainEv = evidence(domains, v6 ? domain + V6_SUFFIX : domain, now);
    FluxAssessment byName;
    FluxAssessment byDomain;
    long[] used; // the sorted arrays are replaced, never changed in place, so no copy is needed
    int newToDomain;
    // Two short critical sections, never nested: a popular registered domain is shared by many
    // names and threads. The name's score reads the domain's NS tallies without its lock; they
    // are ints and array references replaced whole, so at worst it sees the previous answer's.
    synchronized (domainEv) {
      newToDomain = domainEv.recordAnswer(answer.addressKeys(), answer.ttl(), now, scorer.classifier());
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
      if (first) {
        index.record(used, domain);
      } else if (newToDomain > 0) { // the others were indexed when the domain first used them
        index.record(answer.addressKeys(), domain);
      }
    }
    return result;
  }

  /** The evidence under {@code key}, created when there is none (no lambda is allocated on a hit). */
  private NameEvidence evidence(Cache<String, NameEvidence> cache, String key, int now) {
    NameEvidence ev = cache.getIfPresent(key);
    return ev != null ? ev : cache.get(key, k -> new NameEvidence(settings.exactAddresses(), now));
  }

  /**
   * The evidence of the name {@code owner} under {@code key}; a new one learns the name's
   * registered domain, CDN and pool once (the public-suffix and suffix-table walks cost more than
   * everything else on the path).
   */
  private NameEvidence nameEvidence(String owner, String key, int now) {
    NameEvidence ev = names.getIfPresent(key);
    return ev != null ? ev : names.get(key, k -> {
      String domain = registeredDomains.of(owner);
      int start = owner.endsWith(domain) && (domain.length() == owner.length() || owner.charAt(owner.length() - domain.length() - 1) == '.')
          ? owner.length() - domain.length()
          : -1;
      return new NameEvidence(settings.exactAddresses(), now)
          .withFacts(start, organisations.cdnForName(owner), organisations.poolReason(owner));
    });
  }

  /** Reads and observes an upstream answer in wire form, its question being the name asked. */
  public FluxAssessment observe(byte[] answerWire) {
    return observe(AnswerObservation.fromWire(answerWire));
  }

  /**
   * One address of a name's evidence: its IPv4 address as text, its ASN (0 when unknown) and
   * whether a listed CDN, cloud or hosting organisation holds it.
   */
  public record EvidenceAddress(String address, int asn, String organisation, boolean listed) {}

  /**
   * The IPv4 addresses kept exactly in the evidence of {@code name} (a name that held addresses,
   * or a registered domain), at most {@code max}. IPv6 evidence counts /62s, not addresses, so
   * it is not listed.
   */
  public java.util.List<EvidenceAddress> evidenceAddresses(String name, int max) {
    NameEvidence ev = names.getIfPresent(name);
    if (ev == null) {
      ev = domains.getIfPresent(name);
    }
    if (ev == null) {
      return java.util.List.of();
    }
    long[] keys;
    synchronized (ev) {
      keys = ev.exactAddresses();
    }
    java.util.List<EvidenceAddress> out = new java.util.ArrayList<>();
    for (long k : keys) {
      if (out.size() >= max) {
        break;
      }
      if (AddressKey.isV6(k)) {
        continue;
      }
      int network = scorer.classifier().network(k);
      int asn = (network & 0x4000_0000) != 0 ? 0 : network;
      int organisation = scorer.classifier().organisation(network);
      boolean listed = scorer.classifier().listed(organisation);
      out.add(new EvidenceAddress(((k >>> 24) & 0xFF) + "." + ((k >>> 16) & 0xFF) + "." + ((k >>> 8) & 0xFF) + "." + (k & 0xFF),
          asn, asn == 0 ? "unknown" : organisations.name(organisation), listed));
    }
    return out;
  }

  /**
   * What the detector holds about one name (or registered domain): the counts behind its score.
   * Times are seconds on the detector's clock.
   */
  public record EvidenceSummary(
      String name, boolean registeredDomain, int answers, int answerSetChanges, int earlyChanges, long distinctAddresses,
      int distinctNetworks, int distinctOrganisations, int distinctPrefixes, int ttlMin, int ttlMedian,
      int nameServers, int nameServerChanges, int firstSeen, int lastSeen, java.util.List<EvidenceAddress> addresses) {}

  /** The evidence kept for {@code name} (as a name holding addresses, else as a registered domain), or null. */
  public EvidenceSummary evidence(String name) {
    boolean domain = false;
    NameEvidence ev = names.getIfPresent(name);
    if (ev == null) {
      ev = domains.getIfPresent(name);
      domain = ev != null;
    }
    if (ev == null) {
      return null;
    }
    java.util.List<EvidenceAddress> addresses = evidenceAddresses(name, 64);
    synchronized (ev) {
      return new EvidenceSummary(name, domain, ev.answers(), ev.changes(), ev.earlyChanges(), ev.distinctAddresses(),
          ev.distinctNetworks(), ev.distinctOrganisations(), ev.distinctPrefixes(), ev.ttlMin(), ev.ttlMedian(),
          ev.nameServerCount(), ev.nameServerChanges(), ev.firstSeen(), ev.lastSeen(), addresses);
    }
  }

  /** The detector's clock, in the seconds its evidence times are given in. */
  public int nowSeconds() {
    return (int) (ticker.read() / 1_000_000_000L);
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
