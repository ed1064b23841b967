package io.fluxguard.sinkhole.listener;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Optional;

/**
 * Gathers the ClientHello of one TLS connection from whatever pieces TCP delivers: a message split
 * over several reads, over several TLS records (RFC 8446 §5.1 lets a handshake message span
 * records), or both. Works byte by byte on the record headers and copies only the handshake bytes,
 * so the cost is linear however small the reads are.
 *
 * <p>Bounded: a record may carry at most 2^14 bytes (RFC 8446 §5.1), the ClientHello message at
 * most {@value #MAX_CLIENT_HELLO} bytes, and the connection may send at most {@value #MAX_RAW_BYTES}
 * bytes before the message is whole. Anything else is a {@link MalformedClientHelloException}.
 * Not thread-safe: one per connection, used on its event loop.
 */
final class ClientHelloAssembler {
  static final int MAX_CLIENT_HELLO = 16 * 1024;
  static final int MAX_RAW_BYTES = 20 * 1024;
  private static final int MAX_RECORD = 1 << 14;
  private static final int RECORD_HEADER = 5;
  private static final int HANDSHAKE_HEADER = 4;
  private static final int CONTENT_HANDSHAKE = 22;
  private static final int HANDSHAKE_CLIENT_HELLO = 1;

  private final byte[] recordHeader = new byte[RECORD_HEADER];
  private int recordHeaderFill;
  private int recordBodyLeft;
  private byte[] handshake = new byte[512];
  private int handshakeFill;
  private int rawBytes;

  /**
   * Takes the next bytes of the connection.
   *
   * @return the ClientHello once it is whole, empty while more bytes are needed
   * @throws MalformedClientHelloException as soon as the bytes cannot be the start of a ClientHello
   */
  Optional<ClientHello> offer(ByteBuf in) throws MalformedClientHelloException {
    while (in.isReadable()) {
      if (recordBodyLeft == 0) {
        readRecordHeaderByte(in.readByte());
        continue;
      }
      int n = Math.min(recordBodyLeft, in.readableBytes());
      countRaw(n);
      ensureCapacity(handshakeFill + n);
      in.readBytes(handshake, handshakeFill, n);
      handshakeFill += n;
      recordBodyLeft -= n;
      Optional<ClientHello> hello = completeMessage();
      if (hello.isPresent()) {
        return hello;
      }
    }
    return Optional.empty();
  }

  /** RFC 8446 §5.1: type(1) legacy_record_version(2) length(2). Checked byte by byte. */
  private void readRecordHeaderByte(byte b) throws MalformedClientHelloException {
    countRaw(1);
    recordHeader[recordHeaderFill++] = b;
    if (recordHeaderFill == 1 && (b & 0xff) != CONTENT_HANDSHAKE) {
      throw new MalformedClientHelloException(
          "record type " + (b & 0xff) + ", expected handshake (" + CONTENT_HANDSHAKE + ")");
    }
    if (recordHeaderFill == 2 && b != 3) {
      throw new MalformedClientHelloException("record version major " + (b & 0xff) + ", expected 3");
    }
    if (recordHeaderFill == RECORD_HEADER) {
      int length = (recordHeader[3] & 0xff) << 8 | (recordHeader[4] & 0xff);
      // Zero-length handshake fragments are forbidden (RFC 8446 §5.1), and would let a client
      // send headers forever without progress.
      if (length == 0 || length > MAX_RECORD) {
        throw new MalformedClientHelloException("record length " + length);
      }
      recordBodyLeft = length;
      recordHeaderFill = 0;
    }
  }

  /** RFC 8446 §4: msg_type(1) length(3), then the ClientHello body. */
  private Optional<ClientHello> completeMessage() throws MalformedClientHelloException {
    if (handshake[0] != HANDSHAKE_CLIENT_HELLO) { // called with at least one byte
      throw new MalformedClientHelloException(
          "handshake type " + (handshake[0] & 0xff) + ", expected client_hello (1)");
    }
    if (handshakeFill < HANDSHAKE_HEADER) {
      return Optional.empty();
    }
    int length = (handshake[1] & 0xff) << 16 | (handshake[2] & 0xff) << 8 | (handshake[3] & 0xff);
    if (length > MAX_CLIENT_HELLO) {
      throw new MalformedClientHelloException(
          "ClientHello of " + length + " bytes, at most " + MAX_CLIENT_HELLO);
    }
    if (handshakeFill < HANDSHAKE_HEADER + length) {
      return Optional.empty();
    }
    return Optional.of(
        new ClientHello(ClientHelloParser.serverName(handshake, HANDSHAKE_HEADER, length)));
  }

  private void countRaw(int n) throws MalformedClientHelloException {
    rawBytes += n;
    if (rawBytes > MAX_RAW_BYTES) {
      throw new MalformedClientHelloException("no whole ClientHello in " + MAX_RAW_BYTES + " bytes");
    }
  }

  private void ensureCapacity(int needed) {
    if (needed > handshake.length) {
      handshake = Arrays.copyOf(handshake, Math.max(needed, handshake.length * 2));
    }
  }
}
