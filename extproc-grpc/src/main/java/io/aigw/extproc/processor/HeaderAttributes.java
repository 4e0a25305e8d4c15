package io.aigw.extproc.processor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which request headers become attributes of a request's span or metrics, as {@code
 * header:attribute,header:attribute} (upstream's {@code -spanRequestHeaderAttributes} and {@code
 * -metricsRequestHeaderAttributes}). A header that carries a credential can never be named: its
 * value would leave the gateway in every span or series. A span's value is cut to {@value
 * ClientText#MAX_CHARS} characters, since a client chooses it.
 */
public final class HeaderAttributes {

  /** The spans' default: the agent session a client names becomes {@code session.id}. */
  public static final String DEFAULT = "agent-session-id:session.id";

  private final Map<String, String> attributeByHeader;

  private HeaderAttributes(Map<String, String> attributeByHeader) {
    this.attributeByHeader = attributeByHeader;
  }

  /**
   * Reads {@code spec}; an empty one, or {@code none} (which an environment variable can hold),
   * maps no header.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code header:attribute}, or the
   *     credential header
   */
  public static HeaderAttributes parse(String spec) {
    Map<String, String> mapping = new LinkedHashMap<>();
    if (spec.strip().equalsIgnoreCase("none")) {
      return new HeaderAttributes(Map.of());
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
      if (CredentialHeaders.carriesCredential(header)) {
        throw new IllegalArgumentException(
            "header " + header + " carries a credential and is never recorded");
      }
      mapping.put(header, attribute);
    }
    return new HeaderAttributes(Map.copyOf(mapping));
  }

  /**
   * Gives each mapped header {@code headers} hold, non-empty, as (attribute, value), but for those
   * {@code withheld}: the headers a backend takes a request's own credential in, whatever their
   * name.
   */
  public void forEachPresent(
      Map<String, String> headers, Set<String> withheld, BiConsumer<String, String> attribute) {
    attributeByHeader.forEach(
        (header, name) -> {
          String value = headers.get(header);
          if (value != null && !value.isEmpty() && !withheld.contains(header)) {
            attribute.accept(name, ClientText.bounded(value));
          }
        });
  }

  /** The mapping, {@code header → attribute}. */
  public Map<String, String> attributeByHeader() {
    return attributeByHeader;
  }
}
