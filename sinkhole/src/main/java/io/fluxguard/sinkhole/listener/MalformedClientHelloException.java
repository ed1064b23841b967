package io.fluxguard.sinkhole.listener;

/**
 * The bytes at the start of a TLS connection are not a ClientHello this listener can read: not
 * TLS at all, a length that overruns its container, or larger than the limits. The one exception
 * the TLS readers throw for bad input.
 */
final class MalformedClientHelloException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedClientHelloException(String message) {
    super(message, null, false, false); // expected outcome: no stack trace to fill
  }
}
