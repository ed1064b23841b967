package io.fluxguard.detector.evidence;

/**
 * What the evidence needs to know about an address when it first sees it: its network (ASN, or
 * its prefix standing in when unknown), its organisation, and whether that organisation is a
 * listed CDN, cloud or hosting provider. Looked up once per new address, so scoring never has
 * to look anything up again.
 */
public interface AddressClassifier {
  /** The ASN, or a prefix-derived stand-in (with bit 30 set) when the address is unknown. */
  int network(long addressKey);

  /** The organisation of a network id returned by {@link #network}. */
  int organisation(int network);

  /** True when the organisation is a listed CDN, cloud or hosting provider. */
  boolean listed(int organisation);
}
