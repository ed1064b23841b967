package io.fluxguard;

import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.asn.AsnDatabaseBuilder;
import io.fluxguard.detector.asn.AsnDatabaseLoader;
import io.fluxguard.detector.asn.AsnFormat;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.eval.EvalAddressSpace;
import io.fluxguard.detector.eval.Evaluation;
import io.fluxguard.detector.eval.EvaluationReport;
import io.fluxguard.detector.eval.Scenario;
import io.fluxguard.detector.eval.ScenarioGenerator;
import io.fluxguard.detector.org.Organisations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fluxguard evaluate}: replays the labelled corpus through the detector and prints the table. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates the labelled scenario corpus (benign traps and flux classes, see docs/flux-detector.md),",
      "replays it through the flux detector in simulated time and prints, per class, how many scenarios",
      "got a flux verdict and after how many answers, beside the Holz et al. baseline on the same stream.",
      "Exit status 0 when the targets are met, 1 when not."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seed", description = "Corpus seed (default ${DEFAULT-VALUE})", defaultValue = "1")
  long seed;

  @Option(names = "--per-class", description = "Scenarios per class (default ${DEFAULT-VALUE})", defaultValue = "100")
  int perClass;

  @Option(names = "--answers", description = "Upstream answers per scenario (default ${DEFAULT-VALUE})", defaultValue = "10")
  int answers;

  @Option(names = "--asn-db", paramLabel = "FILE", description = "Judge with this IP-to-ASN file instead of the corpus's own sample")
  Path asnDb;

  @Option(names = "--asn-format", paramLabel = "FORMAT", description = "iptoasn-tsv, ip-location-db-csv or maxmind-mmdb (default ${DEFAULT-VALUE})", defaultValue = "ip-location-db-csv")
  String asnFormat;

  @Option(names = "--no-asn-db", description = "Judge without any ASN database (the /16 fallback)")
  boolean noAsnDb;

  @Option(names = "--verbose", description = "Also list every benign scenario flagged and every flux scenario missed")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EvalAddressSpace space = EvalAddressSpace.load();
    AsnDatabase database = space.database();
    if (noAsnDb) {
      database = AsnDatabase.empty();
    } else if (asnDb != null) {
      AsnDatabaseBuilder builder = new AsnDatabaseBuilder();
      AsnDatabaseLoader loader = new AsnDatabaseLoader(builder);
      loader.load(asnDb, AsnFormat.fromKey(asnFormat));
      loader.problems().forEach(p -> out.println("skipped: " + p));
      database = builder.build();
    }
    List<Scenario> corpus = new ScenarioGenerator(space, seed, answers).generate(perClass);
    out.printf(Locale.ROOT, "corpus: seed %d, %d scenarios (%d per class, %d for shared_pool), %d answers each; ASN database: %s%n%n",
        seed, corpus.size(), perClass, 5 * perClass, answers, noAsnDb ? "none" : asnDb != null ? asnDb : "the corpus sample (" + database.size() + " ranges)");
    EvaluationReport report =
        new Evaluation(DetectorSettings.DEFAULTS, database, Organisations.builtIn(), RegisteredDomains.guava()).run(corpus);
    out.print(report.format());
    if (verbose) {
      report.byClass().forEach((c, outcomes) -> outcomes.forEach(o -> {
        boolean wrong = c.flux() ? !o.flagged() : o.flagged();
        if (wrong) {
          var a = c.flux() ? o.last() : o.atVerdict();
          out.printf(Locale.ROOT, "%s %s: score %.2f; %s%n", c.flux() ? "missed" : "false positive", o.scenario().id(),
              a == null ? 0 : a.score(), a == null ? "" : String.join("; ", a.reasons()));
        }
      }));
    }
    boolean met = report.targetsMet();
    out.println(met ? "targets met" : "TARGETS NOT MET");
    out.flush();
    return met ? 0 : 1;
  }
}
