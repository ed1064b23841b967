package io.fluxguard.detector.score;

import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.evidence.AddressClassifier;
import io.fluxguard.detector.evidence.AddressKey;
import io.fluxguard.detector.evidence.NameEvidence;
import io.fluxguard.detector.org.Organisations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns evidence into a {@link FluxAssessment}: the features, a score in [0,1] by the documented
 * weighted sum and discounts, the verdict, and the reasons.
 */
public final class FluxScorer {
  private final ScoreSettings settings;
  private final AsnDatabase asns;
  private final Organisations organisations;

  public FluxScorer(ScoreSettings settings, AsnDatabase asns, Organisations organisations) {
    this.settings = settings;
    this.asns = asns;
    this.organisations = organisations;
  }

  /** Context of one scoring that is not in the evidence itself. */
  public record Context(int cdnOrganisation, String poolReason, int sharedWithFlux, String sharedNetwork) {
    public static final Context NONE = new Context(-1, null, 0, null);
  }

  public FluxAssessment score(
      String name, String registeredDomain, NameEvidence evidence, NameEvidence domain, Context context) {
    // Tallies kept by the evidence as each address arrived: no lookups here.
    boolean lowConfidence = asns.isEmpty();
    int distinctAsns = evidence.distinctNetworks();
    int distinctOrgs = evidence.distinctOrganisations();
    int distinctPrefixes = evidence.distinctPrefixes();
    double entropy = evidence.prefixEntropy();
    int n = evidence.classifiedAddresses();
    int listed = evidence.listedAddresses();
    long nA = evidence.distinctAddresses();
    int answers = evidence.answers();
    double newPerAnswer = answers >= 2 ? (double) (nA - evidence.firstAnswerSize()) / (answers - 1) : 0;
    double listedShare = n == 0 ? 0 : (double) listed / n;

    int nsCount = domain == null ? evidence.nameServerCount() : domain.nameServerCount();
    int nsChanges = domain == null ? evidence.nameServerChanges() : domain.nameServerChanges();
    long[] glue = domain == null ? evidence.glueAddresses() : domain.glueAddresses();
    int nsNetworks = 0;
    if (glue.length > 0) {
      int[] glueNets = new int[glue.length];
      for (int i = 0; i < glue.length; i++) {
        int asn = asn(glue[i]);
        glueNets[i] = asn == 0 ? AddressKey.prefix(glue[i]) | 0x4000_0000 : organisations.organisationOf(asn);
      }
      nsNetworks = distinct(glueNets);
    }

    double holzRaw = FluxFeatures.holz(nA, distinctAsns);
    FluxFeatures f =
        new FluxFeatures(
            nA, distinctAsns, distinctOrgs, distinctPrefixes, entropy, answers, evidence.changes() + 1,
            newPerAnswer, evidence.earlyChanges(), evidence.ttlMin(), evidence.ttlMedian(),
            nsCount, nsChanges, nsNetworks, listedShare, holzRaw, context.sharedWithFlux());

    // The weighted sum (docs/flux-detector.md).
    double holzOrg = FluxFeatures.holz(Math.min(nA, 8L * distinctOrgs), distinctOrgs);
    double fHolz = clamp((holzOrg + 40) / 80);
    double fSpread = clamp((distinctOrgs - 1) / 5.0);
    double fPrefix = entropy * clamp((distinctPrefixes - 1) / 5.0);
    double fGrowth = clamp(newPerAnswer / 2);
    double fTtl = answers == 0 ? 0 : clamp((1800 - evidence.ttlMin()) / 1500.0);
    double fNs = 0.5 * clamp(nsChanges / 2.0) + 0.5 * clamp((nsNetworks - 1) / 4.0);
    double fEarly = answers >= 2 ? clamp((double) evidence.earlyChanges() / (answers - 1)) : 0;
    double raw =
        settings.holzWeight() * fHolz
            + settings.spreadWeight() * fSpread
            + settings.prefixWeight() * fPrefix
            + settings.growthWeight() * fGrowth
            + settings.ttlWeight() * fTtl
            + settings.nameServerWeight() * fNs
            + settings.earlyChangeWeight() * fEarly;
    // Clustering needs spread of the name's own: otherwise a flux zone listing a victim's two
    // addresses would be enough to flag the victim.
    boolean clustered = context.sharedWithFlux() >= settings.clusterMinShared() && distinctOrgs >= 2;
    if (clustered) {
      raw = Math.max(raw, 0.95);
    }
    double score = raw * (1 - settings.listedDiscount() * listedShare);
    if (context.cdnOrganisation() >= 0) {
      score *= settings.cdnDiscount();
    }
    if (context.poolReason() != null) {
      score *= settings.poolDiscount();
    }
    score = clamp(score);
    Verdict verdict =
        score >= settings.fluxThreshold()
            ? Verdict.FLUX
            : score >= settings.suspiciousThreshold() ? Verdict.SUSPICIOUS : Verdict.BENIGN;
    boolean capped = false;
    if (lowConfidence && verdict == Verdict.FLUX) {
      // Without ASN data a CDN's or cloud's spread over many /16s looks like a botnet's, so the
      // detector's own judgement never goes beyond suspicious.
      verdict = Verdict.SUSPICIOUS;
      capped = true;
    }

    return new FluxAssessment(name, registeredDomain, score, verdict, f, lowConfidence, this, context, clustered, capped);
  }

  /** The reasons of an assessment this scorer made, written when first read. */
  List<String> reasons(FluxAssessment a, Context context, boolean clustered, boolean capped) {
    FluxFeatures f = a.features();
    long nA = f.addresses();
    int orgs = f.organisations();
    int asns = f.asns();
    int answers = f.answers();
    int early = f.earlyChanges();
    int nsChanges = f.nameServerChanges();
    List<String> out = new ArrayList<>();
    if (clustered) {
      out.add(String.format(Locale.ROOT, "shares %d addresses with the flux network of %s", context.sharedWithFlux(), context.sharedNetwork()));
    }
    if (nA > 0) {
      out.add(String.format(Locale.ROOT, "%d address%s in %d network%s (%d AS%s) across %d prefixes over %d answer%s; TTL %d s",
          nA, nA == 1 ? "" : "es", orgs, orgs == 1 ? "" : "s", asns, asns == 1 ? "" : "es",
          f.prefixes(), answers, answers == 1 ? "" : "s", f.ttlMin()));
    }
    if (answers >= 2 && f.newPerAnswer() >= 0.5) {
      out.add(String.format(Locale.ROOT, "%.1f new addresses per answer", f.newPerAnswer()));
    }
    if (early > 0) {
      out.add(String.format(Locale.ROOT, "answer set rotated %d time%s before its TTL ran out", early, early == 1 ? "" : "s"));
    }
    if (nsChanges > 0 || f.nameServerNetworks() > 1) {
      out.add(String.format(Locale.ROOT, "%d name servers in %d networks, NS set changed %d time%s",
          f.nameServers(), f.nameServerNetworks(), nsChanges, nsChanges == 1 ? "" : "s"));
    }
    if (nA > 0) {
      out.add(String.format(Locale.ROOT, "Holz score %.1f (%s)", f.holz(), f.holz() > 0 ? "above 0: flux-like" : "below 0"));
    }
    if (context.cdnOrganisation() >= 0) {
      out.add("served through the " + organisations.name(context.cdnOrganisation()) + " CDN (CNAME chain)");
    }
    if (f.listedShare() > 0) {
      out.add(String.format(Locale.ROOT, "%.0f%% of addresses belong to CDN, cloud or hosting organisations", 100 * f.listedShare()));
    }
    if (context.poolReason() != null) {
      out.add("known round-robin pool: " + context.poolReason());
    }
    if (a.lowConfidence()) {
      out.add(capped
          ? "no ASN database configured: /16 prefixes stand in for networks, so the verdict is capped at suspicious"
          : "no ASN database configured: /16 prefixes stand in for networks (lower confidence)");
    }
    return out;
  }

  /** The classifier the evidence uses: one lookup per new address. */
  public AddressClassifier classifier() {
    return classifier;
  }

  private final AddressClassifier classifier =
      new AddressClassifier() {
        @Override
        public int network(long key) {
          int asn = asn(key);
          // Unknown address (or no database): its /16 stands in for its network.
          return asn == 0 ? AddressKey.prefix(key) | 0x4000_0000 : asn;
        }

        @Override
        public int organisation(int network) {
          return (network & 0x4000_0000) != 0 ? network : organisations.organisationOf(network);
        }

        @Override
        public boolean listed(int organisation) {
          return organisations.isListed(organisation);
        }
      };

  private int asn(long key) {
    if (AddressKey.isV6(key)) {
      long high = (key & ~(1L << 62)) << 2;
      return asns.lookupV6(high, 0);
    }
    return asns.lookupV4((int) key);
  }

  /** Number of distinct values; sorts the array in place. */
  static int distinct(int[] values) {
    if (values.length == 0) {
      return 0;
    }
    Arrays.sort(values);
    int d = 1;
    for (int i = 1; i < values.length; i++) {
      if (values[i] != values[i - 1]) {
        d++;
      }
    }
    return d;
  }

  private static double clamp(double v) {
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
