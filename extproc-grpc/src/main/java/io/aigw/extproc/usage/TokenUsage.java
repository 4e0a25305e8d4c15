package io.aigw.extproc.usage;

import java.util.OptionalLong;

/**
 * Token counts reported by a provider. Each figure is absent until a response states it; later
 * reports override earlier ones field by field (providers send cumulative values, never deltas).
 */
public record TokenUsage(
    OptionalLong input,
    OptionalLong cachedInput,
    OptionalLong cacheCreationInput,
    OptionalLong output,
    OptionalLong total,
    OptionalLong reasoning) {

  /**
   * A token count (Anthropic's count_tokens, the Responses API's input_tokens): the input it
   * counted, no total, so a limit on total tokens is not charged for asking.
   */
  public static TokenUsage counted(long inputTokens) {
    return new TokenUsage(
        OptionalLong.of(inputTokens),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty());
  }

  /** An embedding's: its input tokens, which are all its tokens. */
  public static TokenUsage embedded(long inputTokens) {
    return new TokenUsage(
        OptionalLong.of(inputTokens),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.of(inputTokens),
        OptionalLong.empty());
  }

  public static final TokenUsage NONE =
      new TokenUsage(
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty());

  /** This usage with every figure {@code later} states replacing ours. */
  public TokenUsage overriddenBy(TokenUsage later) {
    return new TokenUsage(
        pick(later.input, input),
        pick(later.cachedInput, cachedInput),
        pick(later.cacheCreationInput, cacheCreationInput),
        pick(later.output, output),
        pick(later.total, total),
        pick(later.reasoning, reasoning));
  }

  /** True when no figure was reported. */
  public boolean isEmpty() {
    return input.isEmpty()
        && cachedInput.isEmpty()
        && cacheCreationInput.isEmpty()
        && output.isEmpty()
        && total.isEmpty()
        && reasoning.isEmpty();
  }

  public long inputOrZero() {
    return input.orElse(0);
  }

  public long cachedInputOrZero() {
    return cachedInput.orElse(0);
  }

  public long cacheCreationInputOrZero() {
    return cacheCreationInput.orElse(0);
  }

  public long outputOrZero() {
    return output.orElse(0);
  }

  public long totalOrZero() {
    return total.orElse(0);
  }

  public long reasoningOrZero() {
    return reasoning.orElse(0);
  }

  private static OptionalLong pick(OptionalLong later, OptionalLong earlier) {
    return later.isPresent() ? later : earlier;
  }
}
