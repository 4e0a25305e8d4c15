package io.aigw.extproc.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * Reads the OpenAI {@code usage} object: chat, completions and embeddings share its fields; the
 * Responses API names them {@code input_tokens} and {@code output_tokens}, with their details.
 */
public final class OpenAiUsage {

  private OpenAiUsage() {}

  /**
   * The figures {@code usage} states; {@link TokenUsage#NONE} when it is absent or not an object.
   */
  public static TokenUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return TokenUsage.NONE;
    }
    boolean responses = !usage.has("prompt_tokens") && usage.has("input_tokens");
    JsonNode promptDetails =
        usage.path(responses ? "input_tokens_details" : "prompt_tokens_details");
    JsonNode completionDetails =
        usage.path(responses ? "output_tokens_details" : "completion_tokens_details");
    return new TokenUsage(
        number(usage.get(responses ? "input_tokens" : "prompt_tokens")),
        number(promptDetails.get("cached_tokens")),
        number(promptDetails.get("cache_creation_input_tokens")),
        number(usage.get(responses ? "output_tokens" : "completion_tokens")),
        number(usage.get("total_tokens")),
        number(completionDetails.get("reasoning_tokens")));
  }

  private static OptionalLong number(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0
        ? OptionalLong.of(node.asLong())
        : OptionalLong.empty();
  }
}
