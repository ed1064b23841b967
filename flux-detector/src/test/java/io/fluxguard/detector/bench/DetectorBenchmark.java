package io.fluxguard.detector.bench;

import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.eval.EvalAddressSpace;
import io.fluxguard.detector.org.Organisations;
import io.fluxguard.detector.score.FluxAssessment;
import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Observing and scoring one upstream answer of 8 A records — {@code FluxDetector.observe(byte[])},
 * reading the answer in the wire form the resolver caches it in — with query names drawn Zipf(s =
 * 1) over 100,000 names and the real ASN sample as the database. Reports the time per answer as
 * percentiles ({@code p0.50} is the median). {@link #parseOnly}, dnsjava parsing the same bytes
 * into a {@code Message}, is the reference measured in the same run.
 *
 * <p>Two workloads: {@code flux}, where every name rotates through residential networks (the worst
 * case: most names are judged flux, so the flux-network index fills, evicts and is consulted on
 * every answer), and {@code mixed}, where one name in 20 does that and the rest answer from 16
 * addresses of one hosting network each, as most names a resolver sees do.
 *
 * <p>Run with {@code bench/jmh.sh flux-detector DetectorBenchmark} and again with {@code -t 2}
 * (two threads): equal per-operation times mean no lock contention.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class DetectorBenchmark {
  private static final int NAMES = 100_000;
  private static final int VARIANTS = 8;
  private static final int MASK = (1 << 20) - 1;

  @Param({"mixed", "flux"})
  public String workload;

  private FluxDetector detector;
  private byte[][][] answers; // [name][variant]: upstream answers in wire form
  private Name[] names;
  private int[] zipf;
  private final AtomicLong clock = new AtomicLong();

  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup(Level.Iteration)
    public void reset() {
      next = new Random().nextInt();
    }
  }

  @Setup
  public void setUp() throws Exception {
    EvalAddressSpace space = EvalAddressSpace.load();
    detector = new FluxDetector(DetectorSettings.DEFAULTS, space.database(), Organisations.builtIn(), RegisteredDomains.guava(), clock::get);
    int[] residential = {7922, 3320, 3215, 4134, 4766, 9121, 27699, 9498, 7552, 12389, 6849, 8359, 209, 1221, 22773, 5089};
    int[] hosting = {16276, 24940, 63949, 14061, 20473, 51167};
    Random random = new Random(7);
    answers = new byte[NAMES][VARIANTS][];
    names = new Name[NAMES];
    for (int n = 0; n < NAMES; n++) {
      names[n] = Name.fromString("www.site" + n + ".example" + (n % 50) + ".com.");
      boolean flux = workload.equals("flux") || n % 20 == 0;
      InetAddress[] pool = new InetAddress[flux ? 64 : 16];
      int host = hosting[random.nextInt(hosting.length)];
      for (int i = 0; i < pool.length; i++) {
        pool[i] = space.address(flux ? residential[random.nextInt(residential.length)] : host, random);
      }
      for (int v = 0; v < VARIANTS; v++) {
        Message m = new Message();
        m.addRecord(Record.newRecord(names[n], Type.A, DClass.IN), Section.QUESTION);
        for (int i = 0; i < 8; i++) {
          m.addRecord(new ARecord(names[n], DClass.IN, 180, pool[(v * 8 + i) % pool.length]), Section.ANSWER);
        }
        answers[n][v] = m.toWire();
      }
    }
    zipf = io.fluxguard.detector.eval.Zipf.indices(NAMES, MASK + 1, new Random(42));
  }

  /** The reference: dnsjava parsing the same answer, which the resolver does anyway on a miss. */
  @Benchmark
  public Message parseOnly(Cursor cursor) throws java.io.IOException {
    int i = cursor.next++;
    int n = zipf[i & MASK];
    return new Message(answers[n][(i >>> 3) & (VARIANTS - 1)]);
  }

  /**
   * The detector: reading the answer's wire form (as the resolver caches it) and observing and
   * scoring it.
   */
  @Benchmark
  public FluxAssessment observe(Cursor cursor) {
    int i = cursor.next++;
    int n = zipf[i & MASK];
    clock.addAndGet(1_000_000L); // 1 ms of simulated time per answer
    return detector.observe(answers[n][(i >>> 3) & (VARIANTS - 1)]);
  }
}
