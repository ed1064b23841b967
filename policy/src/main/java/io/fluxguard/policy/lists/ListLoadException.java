package io.fluxguard.policy.lists;

/** A list that cannot be used at all; the message names the file, the line when known, and why. */
public final class ListLoadException extends Exception {
  public ListLoadException(String message) {
    super(message);
  }

  public ListLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
