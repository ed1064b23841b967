package io.fluxguard.detection;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.asn.AsnDatabaseBuilder;
import io.fluxguard.detector.asn.AsnDatabaseLoader;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.org.Organisations;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads what the detector knows (ASN data, organisations, public suffixes) and builds it. */
public final class DetectorFactory {
  private static final Logger log = LoggerFactory.getLogger(DetectorFactory.class);

  private DetectorFactory() {}

  public static FluxDetector create(DetectionSettings settings, Ticker ticker) throws IOException {
    AsnDatabase asns = loadAsns(settings);
    Organisations organisations = Organisations.load(settings.organisationFiles());
    RegisteredDomains domains =
        settings.publicSuffixList() == null
            ? RegisteredDomains.guava()
            : RegisteredDomains.fromFile(settings.publicSuffixList());
    return new FluxDetector(settings.detector(), asns, organisations, domains, ticker);
  }

  static AsnDatabase loadAsns(DetectionSettings settings) throws IOException {
    if (settings.asnDatabases().isEmpty()) {
      log.warn("event=no-asn-database detail=\"no detector.asn-database configured: /16 prefixes stand in for "
          + "networks and flux verdicts are capped at suspicious; see docs/flux-detector.md\"");
      return AsnDatabase.empty();
    }
    long start = System.nanoTime();
    AsnDatabaseBuilder builder = new AsnDatabaseBuilder();
    AsnDatabaseLoader loader = new AsnDatabaseLoader(builder);
    for (Path file : settings.asnDatabases()) {
      loader.load(file, settings.asnFormat());
    }
    for (String problem : loader.problems()) {
      log.warn("event=asn-database-line-skipped detail=\"{}\"", problem);
    }
    if (builder.size() == 0) {
      throw new IOException("no usable range in " + settings.asnDatabases() + " (format " + settings.asnFormat().key() + ")");
    }
    AsnDatabase db = builder.build();
    log.info("event=asn-database ranges={} skipped-lines={} millis={}", db.size(), loader.skipped(), (System.nanoTime() - start) / 1_000_000);
    return db;
  }
}
