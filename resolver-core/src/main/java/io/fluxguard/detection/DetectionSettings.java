package io.fluxguard.detection;

import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.asn.AsnFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code detector:} section: how the flux detector is run and what it knows.
 *
 * @param mode off or monitor
 * @param asnDatabases IP-to-ASN files (IPv4 and IPv6 files may be listed together)
 * @param asnFormat their format
 * @param organisationFiles operator additions to the built-in organisation knowledge
 * @param publicSuffixList a newer public suffix list file, or null for the one in Guava
 * @param detector the detector's own limits and score settings
 * @param confirmation active re-querying of suspicious names
 */
public record DetectionSettings(
    DetectionMode mode,
    List<Path> asnDatabases,
    AsnFormat asnFormat,
    List<Path> organisationFiles,
    Path publicSuffixList,
    DetectorSettings detector,
    ConfirmationSettings confirmation) {

  public DetectionSettings {
    asnDatabases = List.copyOf(asnDatabases);
    organisationFiles = List.copyOf(organisationFiles);
  }

  public static final DetectionSettings DEFAULTS =
      new DetectionSettings(
          DetectionMode.MONITOR, List.of(), AsnFormat.IP_LOCATION_DB_CSV, List.of(), null, DetectorSettings.DEFAULTS,
          ConfirmationSettings.DEFAULTS);
}
