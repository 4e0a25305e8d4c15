package io.aigw.core.filterconfig;

import java.util.Locale;

/**
 * The client APIs the gateway serves, each under a prefix of its own ({@link ApiPaths}): OpenAI's
 * (and vLLM's {@code /tokenize}) at the root, Cohere's under {@code /cohere}, Anthropic's under
 * {@code /anthropic}, as upstream serves them.
 */
public enum ApiFamily {
  OPENAI("/"),
  COHERE("/cohere"),
  ANTHROPIC("/anthropic");

  private final String defaultPrefix;

  ApiFamily(String defaultPrefix) {
    this.defaultPrefix = defaultPrefix;
  }

  /** The name upstream's {@code -endpointPrefixes} gives it: {@code openai}, {@code cohere}… */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String defaultPrefix() {
    return defaultPrefix;
  }

  /**
   * The family named {@code key}.
   *
   * @throws IllegalArgumentException for a name no family has
   */
  public static ApiFamily ofKey(String key) {
    for (ApiFamily family : values()) {
      if (family.key().equals(key)) {
        return family;
      }
    }
    throw new IllegalArgumentException(
        "unknown API family '" + key + "' (openai, cohere or anthropic)");
  }
}
