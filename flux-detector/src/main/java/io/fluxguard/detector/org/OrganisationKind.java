package io.fluxguard.detector.org;

import java.util.Locale;

/** What an organisation in the knowledge file runs. */
public enum OrganisationKind {
  /** A content delivery network: rotating addresses across many networks is its job. */
  CDN,
  /** A public cloud: load balancers rotate addresses with short TTLs. */
  CLOUD,
  /** A hosting provider: servers, not home connections. */
  HOSTING;

  public static OrganisationKind parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
