package io.fluxguard.policy.lists;

import java.util.Locale;

/**
 * The file formats a list subscription may have. {@code AUTO} decides from the file name
 * ({@code .rpz}, {@code .zone}) or its first lines.
 *
 * <ul>
 *   <li>{@code DOMAINS}: one name per line, the name and every name under it ({@code evil.example});
 *       {@code *.evil.example} means only names under it. {@code #} starts a comment.
 *   <li>{@code HOSTS}: hosts-file lines ({@code 0.0.0.0 evil.example other.example}); each name
 *       exactly, as a hosts file means it; {@code localhost} and the like are skipped.
 *   <li>{@code ADBLOCK}: {@code ||evil.example^} (the name and below); {@code @@||name^} exempts;
 *       {@code !} comments; rules that are not about whole domains (paths, cosmetic rules) are
 *       skipped and counted.
 *   <li>{@code RPZ}: a DNS Response Policy Zone file (QNAME and {@code rpz-ip} triggers).
 *   <li>{@code ADDRESSES}: one IP address or CIDR per line, matched against answer addresses.
 * </ul>
 */
public enum ListFormat {
  AUTO,
  DOMAINS,
  HOSTS,
  ADBLOCK,
  RPZ,
  ADDRESSES;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
