package io.fluxguard.admin;

import java.nio.charset.StandardCharsets;

/** What the admin API answers: a status, a content type and a body. */
public record AdminResponse(int status, String contentType, byte[] body) {
  public static final String JSON = "application/json; charset=utf-8";

  public static AdminResponse json(int status, String json) {
    return new AdminResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  public static AdminResponse text(int status, String contentType, String text) {
    return new AdminResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }
}
