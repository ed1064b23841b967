package io.fluxguard.detector.eval;

/** The labelled classes of the evaluation corpus (docs/flux-detector.md describes each). */
public enum ScenarioClass {
  AKAMAI(false, "Akamai: CNAME to edgekey/akamaiedge, 2 rotating addresses, TTL 20 s"),
  CLOUDFRONT(false, "CloudFront: CNAME to cloudfront.net, 4-8 addresses, TTL 60 s"),
  FASTLY(false, "Fastly: CNAME to map.fastly.net, 2-4 addresses, TTL 30 s"),
  GOOGLE(false, "Google: 1-6 addresses in Google's networks, TTL 300 s"),
  CLOUDFLARE(false, "Cloudflare proxied site: 2 addresses, TTL 300 s"),
  MULTI_CDN(false, "Multi-CDN: a GSLB name answering from Akamai, Fastly or Cloudflare in turn"),
  AWS_ELB(false, "AWS load balancer: CNAME to elb.amazonaws.com or apex alias, 2-8 rotating, TTL 60 s"),
  NTP_POOL(false, "pool.ntp.org: 4 of hundreds of servers in many networks, TTL 150 s"),
  IRC(false, "IRC network round-robin: 4-10 of 30 servers at hosting providers, TTL 300 s"),
  DYNAMIC_DNS(false, "Dynamic-DNS home host: one residential address, changing twice a day, TTL 60 s"),
  MICROSOFT_MAIL(false, "Microsoft 365 mail: mail.protection.outlook.com, 2 of 50 addresses, TTL 10 s"),
  ORDINARY(false, "Ordinary site: 1-2 stable addresses at a hosting provider, TTL 300-3600 s"),
  MULTI_SERVICE_DOMAIN(false, "One company's names spread over Cloudflare, Google, AWS, a hosting provider and a home ISP"),
  SINGLE_FLUX(true, "Single flux: 5-8 of 500 bot addresses in 40+ residential networks, TTL 60-300 s"),
  DOUBLE_FLUX(true, "Double flux: single flux plus NS names whose glue rotates across bots"),
  SLOW_FLUX(true, "Slow flux: 1-2 addresses per answer, a new one each time, TTL 300-600 s"),
  CNAME_TO_FLUX(true, "An innocent-looking name that CNAMEs to a flux name"),
  SHARED_POOL(true, "Five flux domains coming into use an hour apart on one shared pool of 120 bots");

  private final boolean flux;
  private final String description;

  ScenarioClass(boolean flux, String description) {
    this.flux = flux;
    this.description = description;
  }

  public boolean flux() {
    return flux;
  }

  public String description() {
    return description;
  }
}
