package io.fluxguard.upstream;

import org.xbill.DNS.Message;

/** A validated upstream answer and the upstream that gave it. */
public record UpstreamAnswer(Message message, Upstream upstream) {}
