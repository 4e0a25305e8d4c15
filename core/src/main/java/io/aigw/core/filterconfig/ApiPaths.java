package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where the gateway serves its APIs: every path is {@code rootPrefix}, then the prefix of the API's
 * family, then the API's own path ({@code /ai} + {@code /anthropic} + {@code /v1/messages}), as
 * upstream joins its {@code -rootPrefix} and {@code -endpointPrefixes}. The defaults serve {@code
 * /v1/chat/completions}, {@code /cohere/v2/rerank} and {@code /anthropic/v1/messages}.
 *
 * <p>Prefixes are kept clean: one leading slash, no trailing one, no empty, {@code .} or {@code ..}
 * segment, only the characters a Gateway API path match takes; so equal settings are equal records
 * and a filter config's text does not change with how a prefix was written.
 *
 * @param rootPrefix before every path; {@code /} for none
 * @param endpointPrefixes each family's prefix after the root, by {@link ApiFamily#key()}, every
 *     family present
 */
@JsonPropertyOrder(alphabetic = true)
public record ApiPaths(String rootPrefix, Map<String, String> endpointPrefixes) {

  /**
   * The characters Gateway API takes in an HTTPRoute path value, which the root prefix becomes,
   * less {@code %}: it refuses an escaped slash there, and Envoy Gateway unescapes a request's path
   * before the ExtProc sees it, so an escape would never be matched as written.
   */
  private static final Pattern PATH_CHARACTERS =
      Pattern.compile("^[-A-Za-z0-9/._~!$&'()*+,;=:@]+$");

  private static final int MAX_PATH_LENGTH = 1024;

  public static final ApiPaths DEFAULT = new ApiPaths("/", Map.of());

  /**
   * Clean prefixes; a family {@code endpointPrefixes} leaves out keeps its default, and one this
   * release does not know (a later release's, in a config it wrote) is left out: its API is not
   * served, the others are.
   *
   * @throws IllegalArgumentException for a prefix that is not a clean path
   */
  public ApiPaths {
    rootPrefix = cleanPrefix("rootPrefix", rootPrefix == null ? "/" : rootPrefix);
    Map<String, String> all = new TreeMap<>();
    for (ApiFamily family : ApiFamily.values()) {
      String given = endpointPrefixes == null ? null : endpointPrefixes.get(family.key());
      all.put(
          family.key(),
          given == null
              ? family.defaultPrefix()
              : cleanPrefix("endpointPrefixes." + family.key(), given));
    }
    // sorted, so the config's text is the same in every JVM
    endpointPrefixes = Collections.unmodifiableMap(all);
  }

  /**
   * The paths of upstream's {@code -endpointPrefixes} form, {@code openai:/,cohere:/cohere}, under
   * {@code rootPrefix}; a family not named keeps its default.
   *
   * @throws IllegalArgumentException as {@link #parseEndpointPrefixes}, or for a root that is not a
   *     clean path
   */
  public static ApiPaths parse(String rootPrefix, String endpointPrefixes) {
    return new ApiPaths(rootPrefix, parseEndpointPrefixes(endpointPrefixes));
  }

  /**
   * Upstream's {@code -endpointPrefixes} form, {@code openai:/,cohere:/cohere}, by family.
   *
   * @throws IllegalArgumentException for an entry without a colon or a prefix, a family named twice
   *     or unknown, or a prefix that is not a clean path
   */
  public static Map<String, String> parseEndpointPrefixes(String text) {
    Map<String, String> prefixes = new TreeMap<>();
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "endpoint prefix '" + trimmed + "' is not <family>:<prefix>, e.g. anthropic:/claude");
      }
      String family = ApiFamily.ofKey(trimmed.substring(0, colon).trim()).key();
      String prefix = trimmed.substring(colon + 1).trim();
      if (prefix.isEmpty()) {
        // upstream would serve such a family at the root; said here, not guessed
        throw new IllegalArgumentException(
            "endpoint prefix of " + family + " is empty; write / to serve it at the root");
      }
      if (prefixes.put(family, cleanPrefix("endpointPrefixes." + family, prefix)) != null) {
        throw new IllegalArgumentException("endpoint prefix of " + family + " is given twice");
      }
    }
    return prefixes;
  }

  /** The prefix of {@code family}'s APIs under the root. */
  public String prefixOf(ApiFamily family) {
    return endpointPrefixes.get(family.key());
  }

  /** Where {@code family}'s API at {@code apiPath} ({@code /v1/messages}) is served. */
  public String pathOf(ApiFamily family, String apiPath) {
    return join(join(rootPrefix, prefixOf(family)), apiPath);
  }

  /** As a message names it: {@code root /ai, anthropic /anthropic, cohere /cohere, openai /}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("root ").append(rootPrefix);
    endpointPrefixes.forEach(
        (family, prefix) -> text.append(", ").append(family).append(' ').append(prefix));
    return text.toString();
  }

  private static String join(String left, String right) {
    if (left.equals("/")) {
      return right;
    }
    return right.equals("/") ? left : left + right;
  }

  /**
   * {@code prefix} with one leading slash and none trailing; {@code field} names it in the error.
   *
   * @throws IllegalArgumentException when it is no clean path
   */
  public static String cleanPrefix(String field, String prefix) {
    if (prefix == null || prefix.isBlank()) {
      return "/";
    }
    if (prefix.length() > MAX_PATH_LENGTH || !PATH_CHARACTERS.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          field
              + " '"
              + prefix
              + "' is not a URL path (letters, digits and -._~!$&'()*+,;=:@/, at most "
              + MAX_PATH_LENGTH
              + " characters)");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : prefix.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            field + " '" + prefix + "' has a '" + segment + "' segment");
      }
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return "/" + String.join("/", segments);
  }
}
