/**
 * Block decisions (issue "policy and sinkhole"): allow and deny lists, RPZ, flux verdict
 * thresholds, enforce and monitor modes, client groups and the persistent store of detections.
 *
 * <p>Not built yet: the resolver pipeline in {@code resolver-core} has the seams
 * ({@code io.fluxguard.pipeline.QueryPolicy}, {@code io.fluxguard.pipeline.ResponsePolicy}) this
 * module will plug into.
 */
package io.fluxguard.policy;
