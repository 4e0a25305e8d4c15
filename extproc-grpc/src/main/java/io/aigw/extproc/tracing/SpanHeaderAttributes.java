package io.aigw.extproc.tracing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which request headers become span attributes, as {@code header:attribute,header:attribute}
 * (upstream's {@code -spanRequestHeaderAttributes}); by default {@code agent-session-id} becomes
 * {@code session.id}. A header that carries a credential can never be named: its value would leave
 * the gateway in every span.
 */
public final class SpanHeaderAttributes {

  public static final String DEFAULT = "agent-session-id:session.id";

  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "cookie",
          "x-api-key",
          "api-key",
          "x-goog-api-key");

  private final Map<String, String> attributeByHeader;

  private SpanHeaderAttributes(Map<String, String> attributeByHeader) {
    this.attributeByHeader = attributeByHeader;
  }

  /**
   * Reads {@code spec}; an empty one maps no header.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code header:attribute}, or the
   *     credential header
   */
  public static SpanHeaderAttributes parse(String spec) {
    Map<String, String> mapping = new LinkedHashMap<>();
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      String header = colon < 0 ? "" : trimmed.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String attribute = colon < 0 ? "" : trimmed.substring(colon + 1).trim();
      if (header.isEmpty() || attribute.isEmpty()) {
        throw new IllegalArgumentException(
            "\"" + trimmed + "\" is not header:attribute (e.g. " + DEFAULT + ")");
      }
      if (CREDENTIAL_HEADERS.contains(header) || header.startsWith("x-aigw-")) {
        throw new IllegalArgumentException(
            "header " + header + " carries a credential and is never recorded in a span");
      }
      mapping.put(header, attribute);
    }
    return new SpanHeaderAttributes(Map.copyOf(mapping));
  }

  /** Gives each mapped header {@code headers} hold, non-empty, as (attribute, value). */
  void forEachPresent(Map<String, String> headers, BiConsumer<String, String> attribute) {
    attributeByHeader.forEach(
        (header, name) -> {
          String value = headers.get(header);
          if (value != null && !value.isEmpty()) {
            attribute.accept(name, value);
          }
        });
  }

  /** The mapping, {@code header → attribute}. */
  public Map<String, String> attributeByHeader() {
    return attributeByHeader;
  }
}
