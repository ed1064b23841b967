package io.fluxguard.policy;

import java.util.Locale;

/**
 * What a blocked client receives (the sinkhole module writes it). {@code SINKHOLE}: A and AAAA
 * questions get the sinkhole addresses, other types NODATA. {@code NXDOMAIN} and {@code NODATA}:
 * as named, with a synthetic SOA. {@code DROP}: no answer at all (RPZ {@code rpz-drop.}).
 * {@code LOCAL_DATA}: the records an RPZ rule gives. {@code PASSTHRU}: an RPZ exemption — answer
 * normally and stop looking further in the lists.
 */
public enum Action {
  SINKHOLE,
  NXDOMAIN,
  NODATA,
  DROP,
  LOCAL_DATA,
  PASSTHRU;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
