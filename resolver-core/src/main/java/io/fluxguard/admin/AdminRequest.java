package io.fluxguard.admin;

import java.util.List;
import java.util.Map;

/**
 * One admin API request after authentication.
 *
 * @param method GET, POST or DELETE
 * @param path the path without the query string, percent-decoded
 * @param query query parameters
 * @param body the request body (UTF-8), empty if none
 * @param role the caller's role ({@link AdminToken.Role#OPERATOR} when authentication is off)
 * @param who the caller for the audit log: the token's fingerprint, or "unauthenticated"
 */
public record AdminRequest(
    String method, String path, Map<String, List<String>> query, String body, AdminToken.Role role, String who) {

  /** A query parameter, or null. */
  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public int intParam(String name, int fallback, int min, int max) {
    String v = param(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw ApiException.badRequest(name + " must be from " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer");
    }
  }
}
