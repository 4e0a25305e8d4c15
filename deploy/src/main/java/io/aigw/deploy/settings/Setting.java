package io.aigw.deploy.settings;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One {@code AIGW_<NAME>} setting: its environment name, how to parse it, its default and what it
 * does. CLI flags override the environment.
 *
 * @param quoted whether a value that does not parse is quoted in the error: not one that may hold a
 *     token (the ExtProcs' variables)
 */
public record Setting<T>(
    String name, Function<String, T> parser, T defaultValue, String doc, boolean quoted) {

  /** A setting whose refused value is quoted. */
  public Setting(String name, Function<String, T> parser, T defaultValue, String doc) {
    this(name, parser, defaultValue, doc, true);
  }

  public Setting {
    Objects.requireNonNull(name, "name");
    if (!name.startsWith("AIGW_")) {
      throw new IllegalArgumentException("settings are named AIGW_<NAME>: " + name);
    }
  }

  /** The value in {@code env}, or the default; a value that does not parse names the setting. */
  public T from(Map<String, String> env) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      return parser.apply(raw.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          (quoted ? name + "=" + raw : name) + ": " + e.getMessage(), e);
    }
  }
}
