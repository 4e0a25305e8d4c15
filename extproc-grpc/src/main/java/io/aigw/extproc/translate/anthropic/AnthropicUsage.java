package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.extproc.usage.TokenUsage;
import java.util.OptionalLong;

/**
 * Anthropic usage ({@code input_tokens}, {@code output_tokens}, {@code cache_read_input_tokens},
 * {@code cache_creation_input_tokens}) as token usage: input counts the cache reads and writes.
 */
public final class AnthropicUsage {

  private AnthropicUsage() {}

  /**
   * The figures {@code usage} states; a {@code message_delta} may state only output, so input
   * figures are set only when present and non-zero after a start.
   */
  public static TokenUsage of(JsonNode usage, TokenUsage earlier) {
    if (usage == null || !usage.isObject()) {
      return earlier;
    }
    long raw = figure(usage, "input_tokens", -1);
    long cacheRead = figure(usage, "cache_read_input_tokens", -1);
    long cacheWrite = figure(usage, "cache_creation_input_tokens", -1);
    long output = figure(usage, "output_tokens", -1);
    OptionalLong cached =
        cacheRead > 0 || (cacheRead == 0 && earlier.cachedInput().isEmpty())
            ? OptionalLong.of(cacheRead)
            : earlier.cachedInput();
    OptionalLong creation =
        cacheWrite > 0 || (cacheWrite == 0 && earlier.cacheCreationInput().isEmpty())
            ? OptionalLong.of(cacheWrite)
            : earlier.cacheCreationInput();
    long rawInput =
        raw > 0 || earlier.input().isEmpty()
            ? Math.max(0, raw)
            : earlier.inputOrZero()
                - earlier.cachedInputOrZero()
                - earlier.cacheCreationInputOrZero();
    long input = rawInput + orZero(cached) + orZero(creation);
    OptionalLong out = output >= 0 ? OptionalLong.of(output) : earlier.output();
    return new TokenUsage(
        OptionalLong.of(input),
        cached,
        creation,
        out,
        OptionalLong.of(input + (out.isPresent() ? out.getAsLong() : 0)),
        earlier.reasoning());
  }

  private static long orZero(OptionalLong value) {
    return value.isPresent() ? Math.max(0, value.getAsLong()) : 0;
  }

  private static long figure(JsonNode usage, String name, long absent) {
    JsonNode value = usage.get(name);
    return value != null && value.canConvertToLong() ? value.asLong() : absent;
  }
}
