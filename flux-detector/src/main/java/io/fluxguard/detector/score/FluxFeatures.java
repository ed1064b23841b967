package io.fluxguard.detector.score;

/**
 * The measured signals behind one assessment, as numbers an analyst can check.
 *
 * @param addresses distinct addresses seen (exact, or estimated past the exact limit)
 * @param asns distinct autonomous systems of those addresses (distinct /16s without a database)
 * @param organisations distinct organisations (a CDN's many ASNs count once)
 * @param prefixes distinct IPv4 /16 and IPv6 /32 prefixes
 * @param prefixEntropy Shannon entropy of the addresses over their prefixes, normalised to [0,1]
 *     (FluxBuster)
 * @param answers answers observed
 * @param answerSets distinct answer sets (changes + 1)
 * @param newPerAnswer new addresses per answer after the first
 * @param earlyChanges answer sets that changed before the previous TTL ran out
 * @param ttlMin smallest TTL seen, seconds
 * @param ttlMedian median of recent TTLs, seconds
 * @param nameServers distinct NS names seen for the registered domain
 * @param nameServerChanges times the NS set changed
 * @param nameServerNetworks distinct networks of the NS glue addresses
 * @param listedShare share of addresses in CDN, cloud or hosting organisations
 * @param holz the Holz et al. (NDSS 2008) flux score 1.32·nA + 18.54·nASN − 142.38
 * @param sharedWithFlux addresses shared with an already-flagged flux network
 */
public record FluxFeatures(
    long addresses,
    int asns,
    int organisations,
    int prefixes,
    double prefixEntropy,
    int answers,
    int answerSets,
    double newPerAnswer,
    int earlyChanges,
    int ttlMin,
    int ttlMedian,
    int nameServers,
    int nameServerChanges,
    int nameServerNetworks,
    double listedShare,
    double holz,
    int sharedWithFlux) {

  /** The Holz et al. baseline: flux when positive. */
  public static double holz(long addresses, int asns) {
    return 1.32 * addresses + 18.54 * asns - 142.38;
  }
}
