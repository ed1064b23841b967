/**
 * Block decisions: operator allow and deny rules, list subscriptions (domains, hosts, Adblock,
 * RPZ, address lists) matched against the query name, every name of the CNAME chain and every
 * answer address, persisted detections, and the live flux verdict — each source in enforce,
 * monitor or off mode, per client group. {@link io.fluxguard.policy.PolicyEngine} decides;
 * {@code lists} loads and reloads subscriptions; {@code match} holds the compact name and
 * address indexes; {@code store} keeps detections and operator rules crash-safely; {@code export}
 * writes them as indicators to share (RPZ, STIX 2.1, CSV).
 */
package io.fluxguard.policy;
