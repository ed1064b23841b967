package io.fluxguard.sinkhole.listener;

import com.google.common.html.HtmlEscapers;

/**
 * The short HTML page an HTTP client gets on the sinkhole address: which name was blocked, why,
 * and who to contact. Every value is HTML-escaped: the host comes straight from the client.
 */
final class BlockPage {
  private BlockPage() {}

  /**
   * @param name the blocked name, or null if the client named none and no query is known
   * @param reason why it was blocked, or null if unknown
   * @param contact the configured contact text
   */
  static String render(String name, String reason, String contact) {
    String shownName = name == null ? "This site" : escape(name);
    String shownReason = reason == null ? "it is on the block list of the protective DNS service"
        : escape(reason);
    return "<!DOCTYPE html>\n"
        + "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Blocked</title></head>\n"
        + "<body>\n"
        + "<h1>Blocked by the protective DNS service</h1>\n"
        + "<p><strong>" + shownName + "</strong> was blocked.</p>\n"
        + "<p>Reason: " + shownReason + "</p>\n"
        + "<p>" + escape(contact) + "</p>\n"
        + "</body></html>\n";
  }

  /** Text safe in HTML element content and in quoted attribute values. */
  static String escape(String text) {
    return HtmlEscapers.htmlEscaper().escape(text);
  }
}
