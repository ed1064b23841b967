package io.fluxguard.detector.eval;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Generates the labelled corpus: for every class, scenarios of upstream answers as a forwarding
 * resolver sees them (one upstream answer each time the previous one's TTL has run out and a
 * client asks again), with addresses drawn from the real ranges of the networks involved.
 * Deterministic for a given seed.
 */
public final class ScenarioGenerator {
  static final int[] AKAMAI = {20940, 16625, 12222, 21342, 33905, 35994, 34164, 24319, 36183};
  static final int[] AMAZON = {16509, 14618};
  static final int[] FASTLY = {54113};
  static final int[] GOOGLE = {15169, 396982, 19527};
  static final int[] CLOUDFLARE = {13335};
  static final int[] MICROSOFT = {8075, 8068};
  static final int[] HOSTING = {14061, 16276, 24940, 20473, 16265, 60781, 12876, 51167};
  static final int[] RESIDENTIAL = {
    7922, 20115, 7018, 701, 3320, 3209, 3215, 2856, 3352, 3269, 4134, 4837, 3462, 4766, 9318,
    12389, 9121, 27699, 28573, 9498, 9829, 55836, 7552, 45899, 23969, 7713, 9299, 6849, 15895,
    8359, 3216, 22773, 209, 6327, 812, 1221, 4804, 5089, 6830, 1136, 5432, 8151, 4788, 24560,
    45595, 17552, 6147, 10620, 11664, 7303, 8048, 25019, 8452, 24863, 36903, 37457
  };
  private static final String[] TLDS = {"com", "net", "org", "cn", "ru", "top", "xyz", "info", "online", "site"};
  private static final String[] KNOWN_IRC = {"irc.libera.chat", "irc.oftc.net", "irc.efnet.org", "irc.undernet.org", "irc.quakenet.org"};
  private static final String[] SYLLABLES = {"ka", "lo", "mi", "ra", "tu", "ve", "zo", "pe", "sa", "ni", "qu", "do", "fe", "gi", "ha", "ju"};

  private final EvalAddressSpace space;
  private final Random random;
  private final int answersPerScenario;
  private long clock;

  public ScenarioGenerator(EvalAddressSpace space, long seed, int answersPerScenario) {
    this.space = space;
    this.random = new Random(seed);
    this.answersPerScenario = answersPerScenario;
  }

  /** {@code perClass} scenarios of every class, their answers spread over simulated days. */
  public List<Scenario> generate(int perClass) {
    List<Scenario> all = new ArrayList<>();
    for (ScenarioClass c : ScenarioClass.values()) {
      for (int i = 0; i < perClass; i++) {
        clock = (long) (random.nextDouble() * 2 * 86400); // each scenario starts within two days
        all.addAll(scenario(c, i));
      }
    }
    return all;
  }

  private List<Scenario> scenario(ScenarioClass c, int i) {
    String id = c.name().toLowerCase() + "-" + i;
    return switch (c) {
      case AKAMAI -> one(id, c, akamai(i));
      case CLOUDFRONT -> one(id, c, cdn("static.shop" + i + ".example", "d" + hex() + ".cloudfront.net", pool(AMAZON, 40), 4, 8, 60));
      case FASTLY -> one(id, c, cdn("www.news" + i + ".example", "prod.news" + i + ".map.fastly.net", pool(FASTLY, 16), 2, 4, 30));
      case GOOGLE -> one(id, c, direct(List.of("www" + i + ".google.com"), pool(GOOGLE, 30), 1, 6, 300, 1, 3));
      case CLOUDFLARE -> one(id, c, direct(List.of("blog" + i + ".example.net"), pool(CLOUDFLARE, 4), 2, 2, 300, 1, 3));
      case MULTI_CDN -> one(id, c, multiCdn(i));
      case AWS_ELB -> one(id, c, elb(i));
      case NTP_POOL -> one(id, c, ntpPool(i));
      case IRC -> one(id, c, irc(i));
      case DYNAMIC_DNS -> one(id, c, dynamicDns(i));
      case MICROSOFT_MAIL -> one(id, c, direct(List.of("corp" + i + "-example-com.mail.protection.outlook.com"), pool(MICROSOFT, 50), 2, 2, 10, 1, 20));
      case ORDINARY -> one(id, c, ordinary(i));
      case MULTI_SERVICE_DOMAIN -> one(id, c, multiService(i));
      case SINGLE_FLUX -> one(id, c, flux(word() + "." + tld(), botPool(500), 5, 8, false, null));
      case DOUBLE_FLUX -> one(id, c, flux(word() + "." + tld(), botPool(500), 5, 8, true, null));
      case SLOW_FLUX -> one(id, c, slowFlux(word() + "." + tld()));
      case CNAME_TO_FLUX -> one(id, c, flux(word() + "." + tld(), botPool(500), 5, 8, false, "cdn-update" + i + ".example.com"));
      case SHARED_POOL -> sharedPool(id, c);
    };
  }

  private static List<Scenario> one(String id, ScenarioClass c, List<Scenario.Answer> answers) {
    return List.of(new Scenario(id, c, answers));
  }

  // ---- benign ----

  private List<Scenario.Answer> akamai(int i) {
    List<InetAddress> regional = pool(AKAMAI, 20);
    String q = "www.shop" + i + ".example.com";
    String edgekey = q + ".edgekey.net";
    String edge = "e" + (1000 + random.nextInt(9000)) + ".a.akamaiedge.net";
    return answers(
        n -> {
          Message m = reply(q, Type.A);
          cname(m, q, edgekey, 300);
          cname(m, edgekey, edge, 300);
          addresses(m, edge, pick(regional, 2, 2), 20);
          return m;
        },
        q, 20, 1, 3);
  }

  private List<Scenario.Answer> cdn(String q, String target, List<InetAddress> pool, int min, int max, int ttl) {
    return answers(
        n -> {
          Message m = reply(q, Type.A);
          cname(m, q, target, 300);
          addresses(m, target, pick(pool, min, max), ttl);
          return m;
        },
        q, ttl, 1, 3);
  }

  private List<Scenario.Answer> direct(List<String> names, List<InetAddress> pool, int min, int max, int ttl, int slowest, int fastest) {
    String q = names.get(0);
    return answers(
        n -> {
          Message m = reply(q, Type.A);
          addresses(m, q, pick(pool, min, max), ttl);
          return m;
        },
        q, ttl, slowest, fastest);
  }

  private List<Scenario.Answer> multiCdn(int i) {
    String q = "www.retail" + i + ".example";
    String gslb = "www.retail" + i + ".example.gslb-vendor.example";
    List<List<InetAddress>> cdns = List.of(pool(AKAMAI, 8), pool(FASTLY, 8), pool(CLOUDFLARE, 4));
    return answers(
        n -> {
          Message m = reply(q, Type.A);
          cname(m, q, gslb, 60);
          addresses(m, gslb, pick(cdns.get(random.nextInt(cdns.size())), 2, 2), 30);
          return m;
        },
        q, 30, 1, 3);
  }

  private List<Scenario.Answer> elb(int i) {
    List<InetAddress> pool = pool(AMAZON, 30);
    if (i % 2 == 0) {
      String q = "app" + i + ".example.io";
      String lb = "app" + i + "-" + (100000 + random.nextInt(900000)) + ".us-east-1.elb.amazonaws.com";
      return answers(
          n -> {
            Message m = reply(q, Type.A);
            cname(m, q, lb, 300);
            addresses(m, lb, pick(pool, 2, 8), 60);
            return m;
          },
          q, 60, 1, 3);
    }
    return direct(List.of("shop" + i + ".example.io"), pool, 2, 8, 60, 1, 3);
  }

  private List<Scenario.Answer> ntpPool(int i) {
    List<InetAddress> servers = new ArrayList<>();
    servers.addAll(pool(RESIDENTIAL, 200));
    servers.addAll(pool(HOSTING, 200));
    String[] zones = {"pool.ntp.org", "0.pool.ntp.org", "de.pool.ntp.org", "2.debian.pool.ntp.org", "north-america.pool.ntp.org"};
    String q = zones[i % zones.length];
    return direct(List.of(q), servers, 4, 4, 150, 1, 3);
  }

  private List<Scenario.Answer> irc(int i) {
    List<InetAddress> servers = pool(HOSTING, 30);
    String q = i % 2 == 0 ? KNOWN_IRC[(i / 2) % KNOWN_IRC.length] : "irc." + word() + "net.org";
    return direct(List.of(q), servers, 4, 10, 300, 1, 3);
  }

  private List<Scenario.Answer> dynamicDns(int i) {
    int isp = RESIDENTIAL[random.nextInt(RESIDENTIAL.length)];
    String q = "home" + i + (i % 2 == 0 ? ".duckdns.org" : ".dyndns.org");
    InetAddress[] current = {space.address(isp, random)};
    long[] changedAt = {clock};
    List<Scenario.Answer> out = new ArrayList<>();
    for (int n = 0; n < answersPerScenario; n++) {
      if (clock - changedAt[0] > 12 * 3600) {
        current[0] = space.address(isp, random); // the ISP hands out a new address
        changedAt[0] = clock;
      }
      Message m = reply(q, Type.A);
      addresses(m, q, List.of(current[0]), 60);
      out.add(new Scenario.Answer(clock, name(q), m));
      clock += 3600 + random.nextInt(5 * 3600); // the owner checks in every few hours
    }
    return out;
  }

  private List<Scenario.Answer> ordinary(int i) {
    int[] where = random.nextBoolean() ? HOSTING : RESIDENTIAL;
    List<InetAddress> pool = pool(where, 2);
    int ttl = new int[] {300, 600, 3600}[random.nextInt(3)];
    return direct(List.of("www.smallbiz" + i + ".example"), pool, 1, 2, ttl, 1, 3);
  }

  private List<Scenario.Answer> multiService(int i) {
    String domain = "corp" + i + ".example";
    String[] names = {"www." + domain, "mail." + domain, "api." + domain, "vpn." + domain, "shop." + domain};
    List<List<InetAddress>> pools =
        List.of(pool(CLOUDFLARE, 2), pool(GOOGLE, 4), pool(AMAZON, 4), pool(RESIDENTIAL, 1), pool(HOSTING, 2));
    List<Scenario.Answer> out = new ArrayList<>();
    for (int n = 0; n < answersPerScenario; n++) {
      int k = n % names.length;
      Message m = reply(names[k], Type.A);
      addresses(m, names[k], pick(pools.get(k), 1, 2), 300);
      out.add(new Scenario.Answer(clock, name(names[k]), m));
      clock += 60 + random.nextInt(600);
    }
    return out;
  }

  // ---- flux ----

  /** Fast flux on {@code domain} (its www name), optionally double flux and/or behind an alias. */
  private List<Scenario.Answer> flux(String domain, List<InetAddress> bots, int min, int max, boolean doubleFlux, String alias) {
    String owner = "www." + domain;
    String q = alias != null ? alias : owner;
    int ttl = new int[] {60, 120, 180, 300}[random.nextInt(4)];
    return answers(
        n -> {
          Message m = reply(q, Type.A);
          if (alias != null) {
            cname(m, alias, owner, 300);
          }
          addresses(m, owner, pick(bots, min, max), ttl);
          if (doubleFlux) {
            for (int k = 1; k <= 2; k++) {
              String ns = "ns" + (k + 2 * (n % 3)) + "." + domain; // NS names change too
              m.addRecord(new NSRecord(name(domain), DClass.IN, ttl, name(ns)), Section.AUTHORITY);
              for (InetAddress glue : pick(bots, 1, 2)) {
                m.addRecord(new ARecord(name(ns), DClass.IN, ttl, glue), Section.ADDITIONAL);
              }
            }
          }
          return m;
        },
        q, ttl, 1, 3);
  }

  private List<Scenario.Answer> slowFlux(String domain) {
    String q = "www." + domain;
    List<InetAddress> bots = botPool(300);
    int ttl = 300 + random.nextInt(301);
    return answers(
        n -> {
          Message m = reply(q, Type.A);
          addresses(m, q, pick(bots, 1, 2), ttl);
          return m;
        },
        q, ttl, 1, 3);
  }

  private List<Scenario> sharedPool(String id, ScenarioClass c) {
    List<InetAddress> bots = botPool(120); // the bots online at the time, shared by every domain
    List<Scenario> out = new ArrayList<>();
    long start = clock;
    for (int d = 0; d < 5; d++) {
      clock = start + d * 3600L; // the domains come into use one after another
      out.add(new Scenario(id + "-" + d, c, flux(word() + "." + tld(), bots, 5, 8, false, null)));
    }
    return out;
  }

  // ---- building blocks ----

  private List<Scenario.Answer> answers(IntFunction<Message> build, String question, int ttl, int slowest, int fastest) {
    List<Scenario.Answer> out = new ArrayList<>();
    for (int n = 0; n < answersPerScenario; n++) {
      out.add(new Scenario.Answer(clock, name(question), build.apply(n)));
      // The next upstream answer: once the TTL has run out and a client asks again, sometimes
      // much later; now and then sooner (another client's query keyed differently, DO/CD).
      double factor = random.nextDouble() < 0.1 ? 0.3 + 0.6 * random.nextDouble() : slowest + (fastest - slowest) * random.nextDouble();
      clock += Math.max(1, (long) (ttl * factor));
    }
    return out;
  }

  private List<InetAddress> pool(int[] asns, int size) {
    List<InetAddress> out = new ArrayList<>(size);
    int[] usable = Arrays.stream(asns).filter(space::has).toArray();
    for (int i = 0; i < size; i++) {
      out.add(space.address(usable[random.nextInt(usable.length)], random));
    }
    return out;
  }

  /** Compromised home hosts: each from a random residential network. */
  private List<InetAddress> botPool(int size) {
    return pool(RESIDENTIAL, size);
  }

  private List<InetAddress> pick(List<InetAddress> pool, int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    List<InetAddress> copy = new ArrayList<>(pool);
    java.util.Collections.shuffle(copy, random);
    return copy.subList(0, Math.min(n, copy.size()));
  }

  private String word() {
    StringBuilder sb = new StringBuilder();
    int n = 3 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      sb.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return sb.toString();
  }

  private String tld() {
    return TLDS[random.nextInt(TLDS.length)];
  }

  private String hex() {
    return Long.toHexString(random.nextLong() & 0xFFFFFFFFFFFFL);
  }

  private static Message reply(String q, int type) {
    Message m = new Message(0);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(Rcode.NOERROR);
    m.addRecord(Record.newRecord(name(q), type, DClass.IN), Section.QUESTION);
    return m;
  }

  private static void cname(Message m, String from, String to, long ttl) {
    m.addRecord(new CNAMERecord(name(from), DClass.IN, ttl, name(to)), Section.ANSWER);
  }

  private static void addresses(Message m, String owner, List<InetAddress> addresses, long ttl) {
    for (InetAddress a : addresses) {
      m.addRecord(new ARecord(name(owner), DClass.IN, ttl, a), Section.ANSWER);
    }
  }

  static Name name(String s) {
    try {
      return Name.fromString(s.endsWith(".") ? s : s + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
