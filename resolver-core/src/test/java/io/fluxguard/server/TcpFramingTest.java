package io.fluxguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.cache.CacheSettings;
import io.fluxguard.cache.ResponseCache;
import io.fluxguard.pipeline.QueryEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.pipeline.QueryPolicy;
import io.fluxguard.pipeline.ResponsePolicy;
import io.fluxguard.pipeline.Transport;
import io.fluxguard.protocol.DecodeResult;
import io.fluxguard.protocol.Queries;
import io.fluxguard.protocol.QueryDecoder;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.upstream.UpstreamEvents;
import io.fluxguard.upstream.UpstreamForwarder;
import io.fluxguard.upstream.UpstreamSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** RFC 7766 §8 framing of the TCP pipeline, driven through an EmbeddedChannel. */
class TcpFramingTest {
  private final List<DecodeResult.DropReason> drops = new ArrayList<>();
  private final QueryEvents events =
      new QueryEvents() {
        @Override
        public void dropped(Transport transport, DecodeResult.DropReason reason) {
          drops.add(reason);
        }
      };
  private final EmbeddedChannel channel = newChannel();

  private EmbeddedChannel newChannel() {
    ResponseEncoder encoder = new ResponseEncoder(1232);
    // A policy that answers every query itself keeps this test off the network.
    QueryPolicy answerAll = (query, client, maxSize) -> new io.fluxguard.pipeline.Intercept(encoder.error(query, Rcode.NOERROR), null);
    QueryPipeline pipeline =
        new QueryPipeline(
            answerAll,
            new ResponseCache(CacheSettings.DEFAULTS, Ticker.systemTicker()),
            new UpstreamForwarder(
                new UpstreamSettings(
                    List.of(new InetSocketAddress("192.0.2.1", 53)),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(5), 1232),
                UpstreamEvents.NONE),
            ResponsePolicy.ALLOW_ALL,
            encoder,
            events);
    ServerSettings settings =
        new ServerSettings(
            List.of(new InetSocketAddress("127.0.0.1", 0)), 1, 1232, Duration.ofSeconds(10), 10, 10, Duration.ZERO);
    return new EmbeddedChannel(
        new TcpChannelInitializer(
            settings, new QueryDecoder(encoder), pipeline, events, new InflightQueries()));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private static byte[] frame(Message m) {
    byte[] wire = m.toWire();
    byte[] out = new byte[wire.length + 2];
    out[0] = (byte) (wire.length >> 8);
    out[1] = (byte) wire.length;
    System.arraycopy(wire, 0, out, 2, wire.length);
    return out;
  }

  /** The next answer written, with its length prefix checked and removed. */
  private Message nextAnswer() throws Exception {
    channel.runPendingTasks();
    ByteBuf out = readOutbound();
    assertThat(out).as("an answer frame").isNotNull();
    try {
      byte[] bytes = ByteBufUtil.getBytes(out);
      assertThat(((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF)).isEqualTo(bytes.length - 2);
      return new Message(java.util.Arrays.copyOfRange(bytes, 2, bytes.length));
    } finally {
      out.release();
    }
  }

  /** LengthFieldPrepender writes the prefix and the body as two buffers; join them. */
  private ByteBuf readOutbound() {
    ByteBuf prefix = channel.readOutbound();
    if (prefix == null) {
      return null;
    }
    ByteBuf body = channel.readOutbound();
    return body == null ? prefix : Unpooled.wrappedBuffer(prefix, body);
  }

  @Test
  void frameSplitInTwo_oneAnswerWithSameId() throws Exception {
    Message q = Queries.message("split.example.", Type.A);
    byte[] f = frame(q);
    channel.writeInbound(Unpooled.wrappedBuffer(f, 0, 7));
    channel.runPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(f, 7, f.length - 7));
    assertThat(nextAnswer().getHeader().getID()).isEqualTo(q.getHeader().getID());
  }

  @Test
  void twoFramesInOneBuffer_twoAnswers() throws Exception {
    Message a = Queries.message("a.example.", Type.A);
    Message b = Queries.message("b.example.", Type.AAAA);
    channel.writeInbound(Unpooled.wrappedBuffer(frame(a), frame(b)));
    List<Integer> ids = List.of(nextAnswer().getHeader().getID(), nextAnswer().getHeader().getID());
    assertThat(ids).containsExactlyInAnyOrder(a.getHeader().getID(), b.getHeader().getID());
  }

  @Test
  void zeroLengthFrame_droppedAsShort_nextFrameStillAnswered() throws Exception {
    Message q = Queries.message("after.example.", Type.A);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0}, frame(q)));
    assertThat(nextAnswer().getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(drops).containsExactly(DecodeResult.DropReason.SHORT);
  }

  @Test
  void lengthPrefixNeverCompleted_noAnswerAndChannelOpen() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 100, 1, 2, 3}));
    channel.runPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void garbageFrame_answeredFormerrOrDropped_neverThrows() throws Exception {
    byte[] junk = {0, 14, 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 0x0C};
    channel.writeInbound(Unpooled.wrappedBuffer(junk));
    Message answer = nextAnswer();
    assertThat(answer.getHeader().getID()).isEqualTo(0x1234);
    assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
  }
}
