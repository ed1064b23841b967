package io.fluxguard.sinkhole.listener;

/**
 * What the sinkhole needs from a TLS ClientHello.
 *
 * @param serverName the host_name of the server_name extension (RFC 6066 §3) as sent, or null if
 *     the client sent none
 */
record ClientHello(String serverName) {}
