package io.fluxguard.detector.eval;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.evidence.AddressKey;
import io.fluxguard.detector.evidence.AnswerObservation;
import io.fluxguard.detector.org.Organisations;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.FluxFeatures;
import io.fluxguard.detector.score.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a corpus through a fresh detector in simulated time, every scenario's answers
 * interleaved in time order as one resolver would see them, and scores the verdicts against the
 * labels — beside the Holz et al. baseline computed on the same stream.
 */
public final class Evaluation {
  private final DetectorSettings settings;
  private final AsnDatabase asns;
  private final Organisations organisations;
  private final RegisteredDomains registeredDomains;

  public Evaluation(DetectorSettings settings, AsnDatabase asns, Organisations organisations, RegisteredDomains registeredDomains) {
    this.settings = settings;
    this.asns = asns;
    this.organisations = organisations;
    this.registeredDomains = registeredDomains;
  }

  /** One scenario's outcome. */
  public record Outcome(Scenario scenario, int firstFlux, int firstSuspicious, int holzFirstFlux, FluxAssessment last, FluxAssessment atVerdict) {
    public boolean flagged() {
      return firstFlux >= 0;
    }

    public boolean holzFlagged() {
      return holzFirstFlux >= 0;
    }
  }

  public EvaluationReport run(List<Scenario> corpus) {
    AtomicLong nanos = new AtomicLong();
    Ticker ticker = nanos::get;
    FluxDetector detector = new FluxDetector(settings, asns, organisations, registeredDomains, ticker);

    record Step(long at, int scenario, int index) {}
    List<Step> steps = new ArrayList<>();
    for (int s = 0; s < corpus.size(); s++) {
      List<Scenario.Answer> answers = corpus.get(s).answers();
      for (int i = 0; i < answers.size(); i++) {
        steps.add(new Step(answers.get(i).atSeconds(), s, i));
      }
    }
    steps.sort(Comparator.comparingLong(Step::at).thenComparingInt(Step::scenario).thenComparingInt(Step::index));

    int n = corpus.size();
    int[] firstFlux = filled(n);
    int[] firstSuspicious = filled(n);
    int[] holzFirst = filled(n);
    FluxAssessment[] last = new FluxAssessment[n];
    FluxAssessment[] atVerdict = new FluxAssessment[n];
    List<Set<Long>> holzAddresses = new ArrayList<>();
    List<Set<Integer>> holzAsns = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      holzAddresses.add(new HashSet<>());
      holzAsns.add(new HashSet<>());
    }
    for (Step step : steps) {
      nanos.set(step.at() * 1_000_000_000L);
      Scenario.Answer answer = corpus.get(step.scenario()).answers().get(step.index());
      AnswerObservation observation = AnswerObservation.from(answer.question(), answer.message());
      FluxAssessment a = detector.observe(observation);
      int s = step.scenario();
      if (a != null) {
        last[s] = a;
        if (a.verdict() == Verdict.FLUX && firstFlux[s] < 0) {
          firstFlux[s] = step.index();
          atVerdict[s] = a;
        }
        if (a.verdict() != Verdict.BENIGN && firstSuspicious[s] < 0) {
          firstSuspicious[s] = step.index();
        }
      }
      // Holz et al.: flux when 1.32·nA + 18.54·nASN − 142.38 > 0 over the answers seen so far.
      for (long key : observation.addressKeys()) {
        holzAddresses.get(s).add(key);
        int asn = AddressKey.isV6(key) ? 0 : asns.lookupV4((int) key);
        holzAsns.get(s).add(asn != 0 ? asn : AddressKey.prefix(key) | 0x4000_0000);
      }
      if (holzFirst[s] < 0 && FluxFeatures.holz(holzAddresses.get(s).size(), holzAsns.get(s).size()) > 0) {
        holzFirst[s] = step.index();
      }
    }
    Map<ScenarioClass, List<Outcome>> byClass = new EnumMap<>(ScenarioClass.class);
    for (int s = 0; s < n; s++) {
      byClass.computeIfAbsent(corpus.get(s).label(), k -> new ArrayList<>())
          .add(new Outcome(corpus.get(s), firstFlux[s], firstSuspicious[s], holzFirst[s], last[s], atVerdict[s]));
    }
    return new EvaluationReport(byClass, detector.trackedNames(), detector.indexedAddresses());
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, -1);
    return a;
  }
}
