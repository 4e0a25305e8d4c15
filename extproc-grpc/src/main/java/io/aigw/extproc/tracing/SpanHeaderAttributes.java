package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.CredentialHeaders;
import java.util.HashSet;
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

  /** The clients' key headers, and the browsers' and proxies' credentials. */
  private static final Set<String> CREDENTIAL_HEADERS = credentialHeaders();

  private final Map<String, String> attributeByHeader;

  private SpanHeaderAttributes(Map<String, String> attributeByHeader) {
    this.attributeByHeader = attributeByHeader;
  }

  /**
   * Reads {@code spec}; an empty one, or {@code none} (which an environment variable can hold),
   * maps no header.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code header:attribute}, or the
   *     credential header
   */
  public static SpanHeaderAttributes parse(String spec) {
    Map<String, String> mapping = new LinkedHashMap<>();
    if (spec.strip().equalsIgnoreCase("none")) {
      return new SpanHeaderAttributes(Map.of());
    }
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

  private static Set<String> credentialHeaders() {
    Set<String> names = new HashSet<>(CredentialHeaders.CLIENT);
    names.add("proxy-authorization");
    names.add("cookie");
    return Set.copyOf(names);
  }

  /**
   * Gives each mapped header {@code headers} hold, non-empty, as (attribute, value), but for those
   * {@code withheld}: the headers a backend takes a request's own credential in, whatever their
   * name.
   */
  void forEachPresent(
      Map<String, String> headers, Set<String> withheld, BiConsumer<String, String> attribute) {
    attributeByHeader.forEach(
        (header, name) -> {
          String value = headers.get(header);
          if (value != null && !value.isEmpty() && !withheld.contains(header)) {
            attribute.accept(name, TracedText.bounded(value));
          }
        });
  }

  /** The mapping, {@code header → attribute}. */
  public Map<String, String> attributeByHeader() {
    return attributeByHeader;
  }
}
