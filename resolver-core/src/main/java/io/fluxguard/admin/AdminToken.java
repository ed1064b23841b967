package io.fluxguard.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One bearer token of the admin API with its role. Only the SHA-256 digest of the token is
 * kept, so comparisons take the same time whatever the token's length or how much of it matches
 * ({@link MessageDigest#isEqual}), and logs can name a token by a short fingerprint.
 */
public final class AdminToken {
  /** What a token may do: viewers read, operators also change things. */
  public enum Role {
    VIEWER,
    OPERATOR;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromKey(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "viewer" -> VIEWER;
        case "operator" -> OPERATOR;
        default -> throw new IllegalArgumentException("a role is viewer or operator");
      };
    }
  }

  public static final int MIN_LENGTH = 16;

  private final byte[] digest;
  private final Role role;

  public AdminToken(String token, Role role) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("a token needs at least " + MIN_LENGTH + " characters (try: openssl rand -hex 32)");
    }
    this.digest = sha256(token);
    this.role = role;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** Whether {@code presentedDigest} (SHA-256 of a presented token) is this token, in constant time. */
  boolean matches(byte[] presentedDigest) {
    return MessageDigest.isEqual(digest, presentedDigest);
  }

  public Role role() {
    return role;
  }

  /** A short, safe name for logs: the first 8 hex digits of the digest. */
  public String fingerprint() {
    return HexFormat.of().formatHex(digest, 0, 4);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdminToken t && MessageDigest.isEqual(t.digest, digest) && t.role == role;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(digest) * 31 + role.hashCode();
  }
}
