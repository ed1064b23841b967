package io.fluxguard.upstream;

/** No upstream answered the question within the overall bound. */
public final class UpstreamUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UpstreamUnavailableException(String message) {
    super(message, null, false, false);
  }
}
