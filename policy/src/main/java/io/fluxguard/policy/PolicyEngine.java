package io.fluxguard.policy;

import com.google.common.net.InetAddresses;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.Verdict;
import io.fluxguard.policy.lists.LoadedList;
import io.fluxguard.policy.lists.PolicyLists;
import io.fluxguard.policy.match.AddressIndex;
import io.fluxguard.policy.match.NameIndex;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.DetectionStore;
import io.fluxguard.policy.store.OperatorRule;
import io.fluxguard.policy.store.OperatorRules;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, for one query, whether a source blocks it. Sources are consulted in {@link Source}
 * order; an allow rule ends the search (the client is answered normally); a source in monitor
 * mode is remembered and the search goes on; the first source in enforce mode decides. What
 * each source checks:
 *
 * <ul>
 *   <li>before resolving ({@link #beforeResolve}): the query name against allow and deny rules,
 *       the lists' name entries and the detections — a known-bad name costs no upstream traffic;
 *   <li>on the answer ({@link #afterResolve}, cached or fresh): every name of its CNAME chain
 *       against deny rules, lists and detections (uncloaking); every answer address against the
 *       lists' address entries and the address pools of detections; then the live flux verdict.
 * </ul>
 *
 * Names are lower-case text without the trailing dot. Thread-safe; lists are read from their
 * current snapshot, so a reload never pauses a query.
 */
public final class PolicyEngine {
  private final PolicySettings settings;
  private final PolicyLists lists;
  private final OperatorRules rules;
  private final DetectionStore detections;
  private final AddressIndex groupIndex;
  private final List<Set<Source>> groupSources;
  private static final Set<Source> ALL = EnumSet.allOf(Source.class);

  public PolicyEngine(PolicySettings settings, PolicyLists lists, OperatorRules rules, DetectionStore detections) {
    this.settings = settings;
    this.lists = lists;
    this.rules = rules;
    this.detections = detections;
    AddressIndex.Builder groups = new AddressIndex.Builder(16);
    List<ClientGroup> cg = settings.clientGroups();
    for (int i = 0; i < cg.size(); i++) {
      for (String network : cg.get(i).networks()) {
        groups.add(network, i);
      }
    }
    this.groupIndex = groups.build();
    this.groupSources = cg.stream().map(ClientGroup::sources).toList();
  }

  /** The sources that apply to {@code client} (all, unless a client group says otherwise). */
  public Set<Source> sourcesFor(InetAddress client) {
    if (client == null || groupIndex.isEmpty()) {
      return ALL;
    }
    int g = groupIndex.match(client);
    return g < 0 ? ALL : groupSources.get(g);
  }

  /** The client group's name for {@code client}, or null. */
  public String groupOf(InetAddress client) {
    if (client == null || groupIndex.isEmpty()) {
      return null;
    }
    int g = groupIndex.match(client);
    return g < 0 ? null : settings.clientGroups().get(g).name();
  }

  private Mode mode(Set<Source> applying, Source s) {
    return applying.contains(s) ? settings.mode(s) : Mode.OFF;
  }

  /** Accumulates the first monitor match while the search goes on. */
  private static final class Search {
    Decision monitored;

    /** True when {@code d} ends the search. */
    boolean offer(Decision d) {
      if (d.mode() == Mode.ENFORCE) {
        return true;
      }
      if (monitored == null) {
        monitored = d;
      }
      return false;
    }
  }

  /**
   * The decision on {@code name} before any upstream traffic: null when nothing matched, an
   * enforced decision to act on, an allow decision (answer normally, and skip {@link
   * #afterResolve}), or a monitor decision (answer normally, count).
   */
  public Decision beforeResolve(InetAddress client, String name) {
    Set<Source> applying = sourcesFor(client);
    Decision allowed = allow(applying, name);
    if (allowed != null) {
      return allowed;
    }
    Search search = new Search();
    Decision d = names(applying, List.of(name), search);
    return d != null ? d : search.monitored;
  }

  /**
   * The decision on an answer to {@code name}: {@code chain} the CNAME targets followed,
   * {@code addresses} the A/AAAA addresses (4 or 16 bytes each), {@code assessment} the flux
   * detector's judgement (or null). Null when nothing matched.
   */
  public Decision afterResolve(
      InetAddress client, String name, List<String> chain, List<byte[]> addresses, FluxAssessment assessment) {
    Set<Source> applying = sourcesFor(client);
    if (allow(applying, name) != null) {
      return null; // beforeResolve already said so; nothing to block
    }
    Search search = new Search();
    // Names of the chain an allow rule covers are not checked; when it covers the name holding
    // the addresses (the chain's end), neither are the addresses nor the verdict on them.
    List<String> checked = chain;
    boolean holderAllowed = false;
    if (!chain.isEmpty() && mode(applying, Source.ALLOW) == Mode.ENFORCE && rules.hasAllowRules()) {
      checked = chain.stream().filter(n -> rules.allowing(n) == null).toList();
      holderAllowed = rules.allowing(chain.get(chain.size() - 1)) != null;
    }
    Decision d = checked.isEmpty() ? null : names(applying, checked, search);
    if (d == null && !addresses.isEmpty() && !holderAllowed) {
      d = addresses(applying, addresses, search);
    }
    if (d == null && assessment != null && !holderAllowed) {
      d = verdict(applying, assessment, search);
    }
    return d != null ? d : search.monitored;
  }

  private Decision allow(Set<Source> applying, String name) {
    if (mode(applying, Source.ALLOW) != Mode.ENFORCE) {
      return null;
    }
    OperatorRule r = rules.allowing(name);
    return r == null ? null
        : new Decision(Action.PASSTHRU, Source.ALLOW, Mode.ENFORCE, "allow rule " + r.name(), "allowed by an operator rule", List.of());
  }

  private Decision names(Set<Source> applying, List<String> names, Search search) {
    Mode deny = mode(applying, Source.DENY);
    if (deny != Mode.OFF) {
      for (String n : names) {
        OperatorRule r = rules.denying(n);
        if (r != null) {
          Decision d = new Decision(Action.SINKHOLE, Source.DENY, deny, "deny rule " + r.name(),
              "blocked by an operator rule (" + r.name() + ")", List.of());
          if (search.offer(d)) {
            return d;
          }
        }
      }
    }
    List<LoadedList> subscribed = lists.snapshot();
    if (applying.contains(Source.LISTS) && !subscribed.isEmpty()) {
      int[] labels = new int[1];
      for (String n : names) {
        NameIndex.Key key = NameIndex.Key.of(n); // the name's suffix hashes, once for every list
        for (LoadedList list : subscribed) {
          Mode m = list.settings().mode();
          if (m == Mode.OFF) {
            continue;
          }
          int ruleId = list.names().match(key, labels);
          if (ruleId < 0) {
            continue;
          }
          Rule rule = list.rules()[ruleId];
          if (rule.action() == Action.PASSTHRU) {
            if (m == Mode.ENFORCE) {
              break; // an exemption in this list: no later list is asked about this name
            }
            continue; // a monitored list changes no answer, its exemptions included
          }
          Decision d = new Decision(rule.action(), Source.LISTS, m,
              "list " + list.name() + ": " + key.suffix(labels[0]), "on block list " + list.name(), rule.localData());
          if (search.offer(d)) {
            return d;
          }
        }
      }
    }
    Mode det = mode(applying, Source.DETECTIONS);
    if (det != Mode.OFF) {
      for (String n : names) {
        Detection found = detections.match(n);
        Mode m = found == null ? Mode.OFF : detectionMode(applying, found);
        if (m != Mode.OFF) {
          Decision d = detectionDecision(found, m, "detection " + found.name());
          if (search.offer(d)) {
            return d;
          }
        }
      }
    }
    return null;
  }

  private Decision addresses(Set<Source> applying, List<byte[]> addresses, Search search) {
    if (applying.contains(Source.LISTS)) {
      for (LoadedList list : lists.snapshot()) {
        Mode m = list.settings().mode();
        if (m == Mode.OFF || list.addresses().isEmpty()) {
          continue;
        }
        for (byte[] a : addresses) {
          int ruleId = list.addresses().match(a);
          if (ruleId < 0) {
            continue;
          }
          Rule rule = list.rules()[ruleId];
          if (rule.action() == Action.PASSTHRU) {
            // Exempts this address only: otherwise one exempted address (a CDN's, say) among a
            // flux answer's would carry the blocked ones through.
            continue;
          }
          Decision d = new Decision(rule.action(), Source.LISTS, m,
              "answer address " + text(a) + " in list " + list.name(), "answer address on block list " + list.name(), rule.localData());
          if (search.offer(d)) {
            return d;
          }
        }
      }
    }
    Mode det = mode(applying, Source.DETECTIONS);
    if (det != Mode.OFF && detections.hasAddresses()) {
      for (byte[] a : addresses) {
        Detection found = detections.matchAddress(a);
        Mode m = found == null ? Mode.OFF : detectionMode(applying, found);
        if (m != Mode.OFF) {
          Decision d = detectionDecision(found, m, "answer address " + text(a) + " in the flux network of " + found.name());
          if (search.offer(d)) {
            return d;
          }
        }
      }
    }
    return null;
  }

  private Decision verdict(Set<Source> applying, FluxAssessment a, Search search) {
    Source source = a.verdict() == Verdict.FLUX ? Source.FLUX : a.verdict() == Verdict.SUSPICIOUS ? Source.SUSPICIOUS : null;
    if (source == null) {
      return null;
    }
    Mode m = mode(applying, source);
    if (m == Mode.OFF || (mode(applying, Source.ALLOW) == Mode.ENFORCE && rules.allowing(a.name()) != null)) {
      return null; // the operator allowed the name holding the addresses (a CNAME target)
    }
    String reason = String.format(Locale.ROOT, "%s, score %.2f; ask the admin API",
        source == Source.FLUX ? "fast flux" : "suspected fast flux", a.score());
    Decision d = new Decision(Action.SINKHOLE, source, m, source.key() + " verdict for " + a.name(), reason, List.of());
    return search.offer(d) ? d : null;
  }

  /**
   * A detection the detector made acts no harder than the flux verdict that made it: with
   * {@code flux: monitor} its detections are monitored too (a trial run blocks nothing). One an
   * operator confirmed acts in the detections' own mode.
   */
  private Mode detectionMode(Set<Source> applying, Detection found) {
    Mode det = mode(applying, Source.DETECTIONS);
    if (!"detector".equals(found.source())) {
      return det;
    }
    Mode flux = mode(applying, Source.FLUX);
    return det.ordinal() >= flux.ordinal() ? det : flux; // the weaker: ENFORCE < MONITOR < OFF
  }

  private static Decision detectionDecision(Detection found, Mode mode, String matched) {
    String reason = String.format(Locale.ROOT, "fast flux detected, score %.2f, since %s; ask the admin API",
        found.score(), found.firstSeen().toString().substring(0, 10));
    return new Decision(Action.SINKHOLE, Source.DETECTIONS, mode, matched, reason, List.of());
  }

  private static String text(byte[] address) {
    try {
      return InetAddresses.toAddrString(InetAddress.getByAddress(address));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an address is 4 or 16 bytes, got " + address.length);
    }
  }
}
