package io.aigw.extproc.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/** Reads the OpenAI {@code usage} object (chat, completions and embeddings share its fields). */
public final class OpenAiUsage {

  private OpenAiUsage() {}

  /**
   * The figures {@code usage} states; {@link TokenUsage#NONE} when it is absent or not an object.
   */
  public static TokenUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return TokenUsage.NONE;
    }
    JsonNode promptDetails = usage.path("prompt_tokens_details");
    JsonNode completionDetails = usage.path("completion_tokens_details");
    return new TokenUsage(
        number(usage.get("prompt_tokens")),
        number(promptDetails.get("cached_tokens")),
        number(promptDetails.get("cache_creation_input_tokens")),
        number(usage.get("completion_tokens")),
        number(usage.get("total_tokens")),
        number(completionDetails.get("reasoning_tokens")));
  }

  private static OptionalLong number(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0
        ? OptionalLong.of(node.asLong())
        : OptionalLong.empty();
  }
}
