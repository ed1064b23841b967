package io.fluxguard.blocking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fluxguard.cache.AnswerContent;
import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.pipeline.Intercept;
import io.fluxguard.pipeline.QueryPolicy;
import io.fluxguard.pipeline.ResponsePolicy;
import io.fluxguard.policy.Action;
import io.fluxguard.policy.Decision;
import io.fluxguard.policy.PolicyEngine;
import io.fluxguard.policy.Source;
import io.fluxguard.protocol.ClientQuery;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.sinkhole.SinkholeAnswer;
import io.fluxguard.sinkhole.SinkholeResponder;
import io.fluxguard.sinkhole.listener.BlockedQueries;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Type;

/**
 * Where the query pipeline meets the {@link PolicyEngine}: asks it before resolving and on every
 * answer, and turns an enforced decision into the sinkhole's answer (with its Extended DNS
 * Error), a monitored one into a count and a log line. Blocked A/AAAA questions are remembered
 * for the sinkhole listener, so a connection that follows is tied to the query that sent it.
 *
 * <p>Logging: every decision at DEBUG; at INFO the first one per name and source in ten minutes
 * ({@code event=blocked} or {@code event=would-block}), so a blocked name asked in a loop does not
 * flood the log.
 */
public final class PolicyGate implements QueryPolicy, ResponsePolicy {
  private static final Logger log = LoggerFactory.getLogger(PolicyGate.class);

  private final PolicyEngine engine;
  private final SinkholeResponder responder;
  private final ResponseEncoder encoder;
  private final BlockedQueries blocked;
  private final PolicyEvents events;
  private final Clock clock;
  private final Cache<String, Boolean> logged =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  public PolicyGate(
      PolicyEngine engine, SinkholeResponder responder, ResponseEncoder encoder, BlockedQueries blocked,
      PolicyEvents events, Clock clock) {
    this.engine = engine;
    this.responder = responder;
    this.encoder = encoder;
    this.blocked = blocked;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Intercept beforeResolve(ClientQuery query, InetAddress client, int maxSize) {
    String name = query.nameText();
    Decision d = engine.beforeResolve(client, name);
    if (d == null) {
      return null;
    }
    if (d.source() == Source.ALLOW) {
      return Intercept.ALLOWED;
    }
    return act(query, client, name, d, maxSize);
  }

  @Override
  public Intercept afterResolve(ClientQuery query, InetAddress client, CachedAnswer answer, int maxSize) {
    AnswerContent content = answer.content();
    String name = query.nameText();
    Decision d = engine.afterResolve(client, name, content.chain(), content.addresses(), answer.assessment());
    return d == null ? null : act(query, client, name, d, maxSize);
  }

  private Intercept act(ClientQuery query, InetAddress client, String name, Decision d, int maxSize) {
    events.decided(d);
    boolean enforced = d.enforced() && d.action() != Action.PASSTHRU;
    if (log.isDebugEnabled()) {
      log.debug("event={} name={} client={} source={} matched=\"{}\" action={}", enforced ? "blocked" : "would-block",
          name, client == null ? "-" : client.getHostAddress(), d.source().key(), d.matched(), d.action().key());
    } else if (log.isInfoEnabled() && logged.asMap().putIfAbsent(name + " " + d.source().key(), Boolean.TRUE) == null) {
      log.info("event={} name={} client={} source={} matched=\"{}\" action={} reason=\"{}\"", enforced ? "blocked" : "would-block",
          name, client == null ? "-" : client.getHostAddress(), d.source().key(), d.matched(), d.action().key(), d.reason());
    }
    if (!enforced) {
      return d.action() == Action.PASSTHRU ? null : Intercept.monitored(d);
    }
    SinkholeAnswer s = responder.answer(query.name(), query.type(), query.dclass(), d);
    if (s.drop()) {
      return Intercept.drop(d);
    }
    if (client != null && d.action() == Action.SINKHOLE && (query.type() == Type.A || query.type() == Type.AAAA || query.type() == Type.ANY)) {
      blocked.record(client, name, d.reason(), clock.instant());
    }
    return new Intercept(encoder.synthesized(query, s.rcode(), s.answer(), s.authority(), d.extendedErrorCode(), d.reason(), maxSize), d);
  }
}
