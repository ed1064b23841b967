package io.fluxguard.detector.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.org.Organisations;
import org.junit.jupiter.api.Test;

/** The labelled corpus, replayed: the detector meets its targets (and the test prints the table). */
class EvaluationTest {
  @Test
  void corpus_targetsMet() throws Exception {
    EvalAddressSpace space = EvalAddressSpace.load();
    var corpus = new ScenarioGenerator(space, 1, 10).generate(100);
    EvaluationReport report =
        new Evaluation(DetectorSettings.DEFAULTS, space.database(), Organisations.builtIn(), RegisteredDomains.guava()).run(corpus);
    System.out.println(report.format());
    assertThat(report.falsePositiveRate()).isLessThanOrEqualTo(0.002);
    assertThat(report.recall()).isGreaterThanOrEqualTo(0.97);
    assertThat(report.medianAnswersBeforeVerdict()).isLessThanOrEqualTo(1.0);
  }
}
