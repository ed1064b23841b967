package io.fluxguard.detector.asn;

import java.util.Locale;

/** The IP-to-ASN file formats fluxguard reads. */
public enum AsnFormat {
  /** iptoasn.com {@code ip2asn-v4.tsv} / {@code ip2asn-v6.tsv}: start, end, ASN, country, name; tab-separated. */
  IPTOASN_TSV,
  /** ip-location-db {@code asn-ipv4.csv} / {@code asn-ipv6.csv} (or the {@code -num} files): start, end, ASN, organisation. */
  IP_LOCATION_DB_CSV,
  /** MaxMind GeoLite2-ASN (or any MaxMind DB with {@code autonomous_system_number}): {@code .mmdb}. */
  MAXMIND_MMDB;

  /** The configuration spelling: {@code iptoasn-tsv}, {@code ip-location-db-csv}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static AsnFormat fromKey(String key) {
    for (AsnFormat f : values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown ASN database format '" + key + "'");
  }
}
