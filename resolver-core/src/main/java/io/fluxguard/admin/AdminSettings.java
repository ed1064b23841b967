package io.fluxguard.admin;

import java.net.InetSocketAddress;

/**
 * Admin REST port settings. The admin server itself arrives with the operations issue; the
 * address is already configurable and validated so deployments can set it now.
 *
 * @param listen where the admin HTTP server will listen
 */
public record AdminSettings(InetSocketAddress listen) {}
