package io.fluxguard.sinkhole.listener;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** ClientHello bytes for tests: handcrafted ones, and the JDK's own, captured on loopback. */
final class ClientHellos {
  private ClientHellos() {}

  /** A TLS 1.3-style ClientHello body with a server_name extension, or without one if null. */
  static byte[] body(String serverName) {
    Bytes extensions = new Bytes();
    if (serverName != null) {
      byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
      extensions.u16(0).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).raw(name);
    }
    extensions.u16(43).u16(3).u8(2).u16(0x0304); // supported_versions: TLS 1.3
    extensions.u16(10).u16(4).u16(2).u16(0x001d); // supported_groups: x25519
    return bodyWithExtensions(extensions.toArray());
  }

  /** A TLS 1.2 ClientHello body that ends after the compression methods (no extensions). */
  static byte[] bodyWithoutExtensions() {
    return bodyWithExtensions(null);
  }

  private static byte[] bodyWithExtensions(byte[] extensions) {
    Bytes body = new Bytes().u16(0x0303).raw(new byte[32]);
    body.u8(32).raw(filled(32, 7)); // session id
    body.u16(6).u16(0x1301).u16(0x1302).u16(0xc02f); // cipher suites
    body.u8(1).u8(0); // compression: null
    if (extensions != null) {
      body.u16(extensions.length).raw(extensions);
    }
    return body.toArray();
  }

  /** The handshake message: type client_hello (1), a 3-byte length, the body. */
  static byte[] message(byte[] body) {
    return new Bytes().u8(1).u8(body.length >>> 16).u16(body.length & 0xffff).raw(body).toArray();
  }

  /** {@code message} in TLS handshake records of at most {@code fragment} bytes each. */
  static byte[] records(byte[] message, int fragment) {
    Bytes out = new Bytes();
    for (int at = 0; at < message.length; at += fragment) {
      int n = Math.min(fragment, message.length - at);
      out.u8(22).u16(0x0301).u16(n).raw(Arrays.copyOfRange(message, at, at + n));
    }
    return out.toArray();
  }

  /** A whole ClientHello naming {@code serverName}, in one record. */
  static byte[] hello(String serverName) {
    byte[] message = message(body(serverName));
    return records(message, message.length);
  }

  /**
   * What the JDK's default TLS client sends first when asked for {@code serverName}: a real
   * ClientHello, caught by a plain socket on loopback that then hangs up.
   */
  static byte[] fromJdkClient(String serverName) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> client =
          CompletableFuture.runAsync(() -> handshake(server.getLocalPort(), serverName));
      byte[] hello;
      try (Socket accepted = server.accept()) {
        accepted.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(accepted.getInputStream());
        byte[] header = new byte[5];
        in.readFully(header);
        byte[] fragment = new byte[(header[3] & 0xff) << 8 | (header[4] & 0xff)];
        in.readFully(fragment);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(header);
        all.write(fragment);
        hello = all.toByteArray();
      }
      client.get(5, TimeUnit.SECONDS);
      return hello;
    }
  }

  /** Starts a handshake with the JDK's default client; it fails, as nothing answers. */
  static void handshake(int port, String serverName) {
    try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(5000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      throw new AssertionError("the handshake succeeded, but no server can complete it");
    } catch (IOException expected) {
      // the peer hung up or refused: the expected end
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] filled(int n, int value) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  /** A big-endian byte writer. */
  static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) {
      out.write(v);
      return this;
    }

    Bytes u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Bytes raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    byte[] toArray() {
      return out.toByteArray();
    }
  }
}
