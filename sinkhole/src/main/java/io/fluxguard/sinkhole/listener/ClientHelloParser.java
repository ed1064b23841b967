package io.fluxguard.sinkhole.listener;

import java.nio.charset.StandardCharsets;

/**
 * Reads the server name from the body of a ClientHello handshake message, checking every length
 * against what encloses it. Layout (RFC 8446 §4.1.2, the same up to the extensions in RFC 5246
 * §7.4.1.2):
 *
 * <pre>
 * legacy_version(2) random(32) session_id&lt;0..32&gt; cipher_suites&lt;2..2^16-2&gt;
 * compression_methods&lt;1..2^8-1&gt; extensions&lt;0..2^16-1&gt; (absent in some TLS 1.2 hellos)
 * </pre>
 */
final class ClientHelloParser {
  /** RFC 6066 §3: extension type server_name. */
  static final int SERVER_NAME_EXTENSION = 0;
  /** RFC 6066 §3: NameType host_name. */
  static final int HOST_NAME = 0;

  private ClientHelloParser() {}

  /**
   * The server name in the ClientHello body {@code bytes[offset, offset + length)}, or null if it
   * has none.
   *
   * @throws MalformedClientHelloException if a length overruns what encloses it
   */
  static String serverName(byte[] bytes, int offset, int length) throws MalformedClientHelloException {
    Cursor body = new Cursor(bytes, offset, length);
    body.skip(2 + 32); // legacy_version, random
    int sessionId = body.u8();
    if (sessionId > 32) {
      throw new MalformedClientHelloException("session id of " + sessionId + " bytes, at most 32");
    }
    body.skip(sessionId);
    int cipherSuites = body.u16();
    if (cipherSuites < 2 || cipherSuites % 2 != 0) {
      throw new MalformedClientHelloException("cipher suites of " + cipherSuites + " bytes");
    }
    body.skip(cipherSuites);
    int compressionMethods = body.u8();
    if (compressionMethods < 1) {
      throw new MalformedClientHelloException("no compression methods");
    }
    body.skip(compressionMethods);
    if (body.remaining() == 0) {
      return null; // a TLS 1.2 hello without extensions (RFC 5246 §7.4.1.2)
    }
    Cursor extensions = body.slice(body.u16());
    while (extensions.remaining() > 0) {
      int type = extensions.u16();
      Cursor data = extensions.slice(extensions.u16());
      if (type == SERVER_NAME_EXTENSION) {
        return hostName(data);
      }
    }
    return null;
  }

  /** RFC 6066 §3: {@code ServerNameList server_name_list<1..2^16-1>}, the first host_name wins. */
  private static String hostName(Cursor extension) throws MalformedClientHelloException {
    Cursor list = extension.slice(extension.u16());
    while (list.remaining() > 0) {
      int nameType = list.u8();
      Cursor name = list.slice(list.u16());
      if (nameType == HOST_NAME) {
        if (name.remaining() == 0) {
          throw new MalformedClientHelloException("empty host_name");
        }
        return name.ascii();
      }
    }
    return null;
  }

  /** A window over bytes whose every read is checked against the window's end. */
  private static final class Cursor {
    private final byte[] bytes;
    private int position;
    private final int end;

    Cursor(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.position = offset;
      this.end = offset + length;
    }

    int remaining() {
      return end - position;
    }

    int u8() throws MalformedClientHelloException {
      require(1);
      return bytes[position++] & 0xff;
    }

    int u16() throws MalformedClientHelloException {
      require(2);
      int value = (bytes[position] & 0xff) << 8 | (bytes[position + 1] & 0xff);
      position += 2;
      return value;
    }

    void skip(int n) throws MalformedClientHelloException {
      require(n);
      position += n;
    }

    /** The next {@code n} bytes as their own window; this one moves past them. */
    Cursor slice(int n) throws MalformedClientHelloException {
      require(n);
      Cursor inner = new Cursor(bytes, position, n);
      position += n;
      return inner;
    }

    /** The rest as text, one character per byte (RFC 6066 host names are ASCII). */
    String ascii() {
      String text = new String(bytes, position, remaining(), StandardCharsets.ISO_8859_1);
      position = end;
      return text;
    }

    private void require(int n) throws MalformedClientHelloException {
      if (n > remaining()) {
        throw new MalformedClientHelloException(
            "field of " + n + " bytes overruns its container (" + remaining() + " bytes left)");
      }
    }
  }
}
