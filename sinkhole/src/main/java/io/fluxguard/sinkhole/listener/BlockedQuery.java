package io.fluxguard.sinkhole.listener;

import java.time.Instant;
import java.util.Objects;

/**
 * One DNS query a client got a sinkhole answer for: the name it asked for, when, and why the
 * name was blocked. Joined to the connections the client then made to the sinkhole address.
 *
 * @param name the queried name, lower case, without the trailing dot
 * @param reason why it was blocked, in words (e.g. {@code fast flux, score 0.97})
 * @param when when the sinkhole answer was given
 */
public record BlockedQuery(String name, String reason, Instant when) {
  public BlockedQuery {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(when, "when");
  }
}
