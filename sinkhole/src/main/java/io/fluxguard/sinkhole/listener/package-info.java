/**
 * The sinkhole listener: HTTP and TLS ports on the sinkhole address that record which workstations
 * connect there after a sinkhole answer, and for which name.
 *
 * <p>Wiring: one {@link io.fluxguard.sinkhole.listener.BlockedQueries} that the resolver feeds on
 * every sinkhole answer; one {@link io.fluxguard.sinkhole.listener.SinkholeHits} store (started
 * before the listener, closed after it) that the admin API reads; one {@link
 * io.fluxguard.sinkhole.listener.SinkholeListener} over both.
 */
package io.fluxguard.sinkhole.listener;
