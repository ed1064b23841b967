package io.fluxguard.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.cache.CacheKey;
import io.fluxguard.cache.CacheSettings;
import io.fluxguard.cache.ResponseCache;
import io.fluxguard.metrics.MicrometerEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.pipeline.QueryPolicy;
import io.fluxguard.pipeline.ResponsePolicy;
import io.fluxguard.pipeline.Transport;
import io.fluxguard.protocol.Answers;
import io.fluxguard.protocol.DecodeResult;
import io.fluxguard.protocol.Queries;
import io.fluxguard.protocol.QueryDecoder;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.protocol.ResponseTemplate;
import io.fluxguard.upstream.UpstreamEvents;
import io.fluxguard.upstream.UpstreamForwarder;
import io.fluxguard.upstream.UpstreamSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache-hit path — decode a query packet, look the answer up, write it for the client — as
 * fluxguard runs it ({@link #fluxguardPipeline}), against a reference built the obvious way with
 * dnsjava messages ({@link #dnsjavaMessages}: parse the query with {@code new Message(bytes)},
 * copy the cached records into a new {@code Message}, {@code toWire(512)}). Report the ratio of
 * the two from the same run.
 *
 * <p>Query names follow a Zipf distribution (s = 1) over 1,000 cached names, as real traffic
 * does. Run with {@code bench/jmh.sh} (or {@code bench/jmh.sh CacheHitBenchmark -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheHitBenchmark {
  private static final int NAMES = 1_000;
  private static final int MASK = (1 << 16) - 1;

  private byte[][] packets;
  private int[] zipf;
  private QueryPipeline pipeline;
  private QueryDecoder decoder;
  private Map<Name, Message> referenceCache;

  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup(Level.Iteration)
    public void reset() {
      next = new Random().nextInt();
    }
  }

  @Setup
  public void setUp() {
    ResponseEncoder encoder = new ResponseEncoder(1232);
    decoder = new QueryDecoder(encoder);
    ResponseCache cache = new ResponseCache(CacheSettings.DEFAULTS, Ticker.systemTicker());
    UpstreamForwarder forwarder =
        new UpstreamForwarder(
            new UpstreamSettings(
                List.of(new InetSocketAddress("192.0.2.1", 53)),
                Duration.ofSeconds(3), Duration.ofSeconds(1), 3, Duration.ofSeconds(5), 1232),
            UpstreamEvents.NONE);
    pipeline =
        new QueryPipeline(
            QueryPolicy.ALLOW_ALL,
            cache,
            forwarder,
            ResponsePolicy.ALLOW_ALL,
            encoder,
            new MicrometerEvents(new SimpleMeterRegistry()));
    packets = new byte[NAMES][];
    referenceCache = new HashMap<>();
    for (int i = 0; i < NAMES; i++) {
      Message query = Queries.message("host" + i + ".bench.example.", Type.A);
      packets[i] = query.toWire();
      Message answer = Answers.a(query, 2, 3600);
      Record q = query.getQuestion();
      cache.put(CacheKey.of(Queries.decode(query)), answer, ResponseTemplate.of(answer, q.getName(), q.getType(), q.getDClass()));
      referenceCache.put(q.getName(), answer);
    }
    zipf = io.fluxguard.detector.eval.Zipf.indices(NAMES, MASK + 1, new Random(42));
  }

  @Benchmark
  public byte[] fluxguardPipeline(Cursor cursor) {
    byte[] packet = packets[zipf[cursor.next++ & MASK]];
    DecodeResult.Query q = (DecodeResult.Query) decoder.decode(packet);
    return pipeline.handle(q.query(), null, Transport.UDP, null, System.nanoTime()).join();
  }

  @Benchmark
  public byte[] dnsjavaMessages(Cursor cursor) throws IOException {
    byte[] packet = packets[zipf[cursor.next++ & MASK]];
    Message query = new Message(packet);
    Message cached = referenceCache.get(query.getQuestion().getName());
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RD);
    response.getHeader().setFlag(Flags.RA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    for (Record r : cached.getSection(Section.ANSWER)) {
      response.addRecord(r, Section.ANSWER);
    }
    return response.toWire(512);
  }
}
