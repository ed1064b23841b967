package io.fluxguard.detector.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Per-class results of an {@link Evaluation}, and the table `fluxguard evaluate` prints. */
public final class EvaluationReport {
  private final Map<ScenarioClass, List<Evaluation.Outcome>> byClass;
  private final long trackedNames;
  private final long indexedAddresses;

  EvaluationReport(Map<ScenarioClass, List<Evaluation.Outcome>> byClass, long trackedNames, long indexedAddresses) {
    this.byClass = byClass;
    this.trackedNames = trackedNames;
    this.indexedAddresses = indexedAddresses;
  }

  public Map<ScenarioClass, List<Evaluation.Outcome>> byClass() {
    return byClass;
  }

  /** Share of benign scenarios given a flux verdict at any answer. */
  public double falsePositiveRate() {
    return rate(false, true);
  }

  /** Share of flux scenarios given a flux verdict by their last answer. */
  public double recall() {
    return rate(true, true);
  }

  public double holzFalsePositiveRate() {
    return rate(false, false);
  }

  public double holzRecall() {
    return rate(true, false);
  }

  /** Median answers served before the flux verdict, over detected flux scenarios. */
  public double medianAnswersBeforeVerdict() {
    return median(all(true), true);
  }

  public double holzMedianAnswersBeforeVerdict() {
    return median(all(true), false);
  }

  private List<Evaluation.Outcome> all(boolean flux) {
    List<Evaluation.Outcome> out = new ArrayList<>();
    byClass.forEach((c, list) -> {
      if (c.flux() == flux) {
        out.addAll(list);
      }
    });
    return out;
  }

  private double rate(boolean flux, boolean ours) {
    List<Evaluation.Outcome> list = all(flux);
    if (list.isEmpty()) {
      return 0;
    }
    long flagged = list.stream().filter(o -> ours ? o.flagged() : o.holzFlagged()).count();
    return (double) flagged / list.size();
  }

  private static double median(List<Evaluation.Outcome> list, boolean ours) {
    double[] v = list.stream().mapToInt(o -> ours ? o.firstFlux() : o.holzFirstFlux()).filter(i -> i >= 0).asDoubleStream().sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The per-class table, then the totals against the targets. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s %5s | %-28s | %-28s%n", "class", "n", "fluxguard", "Holz et al. baseline"));
    sb.append(String.format(Locale.ROOT, "%-28s %5s | %-28s | %-28s%n", "", "", "flagged  rate     ans.before", "flagged  rate     ans.before"));
    for (ScenarioClass c : ScenarioClass.values()) {
      List<Evaluation.Outcome> list = byClass.get(c);
      if (list == null) {
        continue;
      }
      long ours = list.stream().filter(Evaluation.Outcome::flagged).count();
      long holz = list.stream().filter(Evaluation.Outcome::holzFlagged).count();
      String label = (c.flux() ? "flux/" : "benign/") + c.name().toLowerCase(Locale.ROOT);
      sb.append(String.format(Locale.ROOT, "%-28s %5d | %7d  %-8s %-10s | %7d  %-8s %-10s%n",
          label, list.size(),
          ours, pct((double) ours / list.size()), c.flux() ? fmt(median(list, true)) : "",
          holz, pct((double) holz / list.size()), c.flux() ? fmt(median(list, false)) : ""));
    }
    sb.append(String.format(Locale.ROOT, "%n%-34s %-12s %-12s %s%n", "", "fluxguard", "Holz", "target"));
    sb.append(String.format(Locale.ROOT, "%-34s %-12s %-12s %s%n", "false-positive rate (benign)", pct(falsePositiveRate()), pct(holzFalsePositiveRate()), "<= 0.2 %"));
    sb.append(String.format(Locale.ROOT, "%-34s %-12s %-12s %s%n", "recall (flux)", pct(recall()), pct(holzRecall()), ">= 97 %"));
    sb.append(String.format(Locale.ROOT, "%-34s %-12s %-12s %s%n", "median answers before flux verdict", fmt(medianAnswersBeforeVerdict()), fmt(holzMedianAnswersBeforeVerdict()), "<= 1"));
    sb.append(String.format(Locale.ROOT, "(rate: share of the class given a flux verdict; ans.before: median answers served before it)%n"));
    sb.append(String.format(Locale.ROOT, "detector state at the end of simulated time: %d names tracked, %d addresses in the flux-network index%n", trackedNames, indexedAddresses));
    return sb.toString();
  }

  /** True when every target is met. */
  public boolean targetsMet() {
    return falsePositiveRate() <= 0.002 && recall() >= 0.97 && medianAnswersBeforeVerdict() <= 1;
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * v);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }
}
