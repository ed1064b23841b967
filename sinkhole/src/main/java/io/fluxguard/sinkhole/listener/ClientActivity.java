package io.fluxguard.sinkhole.listener;

import java.net.InetAddress;
import java.time.Instant;

/**
 * What one workstation did on the sinkhole address, for ranking the probably infected ones.
 *
 * @param client the workstation's address
 * @param hits how many hits it has among those kept
 * @param lastHit when its latest hit was recorded
 * @param distinctNames how many different names ({@link SinkholeHit#name()}) it connected for
 */
public record ClientActivity(InetAddress client, long hits, Instant lastHit, int distinctNames) {}
