package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;

/**
 * An OpenAI chat completion as an Anthropic message: reasoning as a thinking block, the text, the
 * tool calls as {@code tool_use} blocks with their arguments parsed, the finish reason as
 * Anthropic's stop reason, and the usage with the cached tokens apart, as Anthropic counts them.
 */
final class ChatToMessages {

  private ChatToMessages() {}

  static ObjectNode message(JsonNode completion, String model) {
    ObjectNode message = head(completion, model);
    ArrayNode content = message.putArray("content");
    JsonNode choice = completion.path("choices").path(0);
    JsonNode said = choice.path("message");
    String reasoning = reasoning(said);
    if (!reasoning.isEmpty()) {
      content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
    }
    String text = said.path("content").asText("");
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : said.path("tool_calls")) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", call.path("id").asText(""))
          .put("name", call.path("function").path("name").asText(""))
          .set("input", arguments(call.path("function").path("arguments").asText("")));
    }
    message.put(
        "stop_reason",
        stopReason(choice.path("finish_reason").asText(""), !said.path("tool_calls").isEmpty()));
    message.putNull("stop_sequence");
    message.set("usage", usage(completion.path("usage")));
    return message;
  }

  /**
   * A message's first fields, from a completion or its first chunk: the id, the type and role, and
   * the model the backend names ({@code model} when it names none).
   */
  static ObjectNode head(JsonNode completion, String model) {
    return OpenAiJson.MAPPER
        .createObjectNode()
        .put("id", completion.path("id").asText(""))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", completion.path("model").asText(model));
  }

  /** A message's or delta's reasoning: vLLM's {@code reasoning_content}, or {@code reasoning}. */
  static String reasoning(JsonNode said) {
    String reasoning = said.path("reasoning_content").asText("");
    return reasoning.isEmpty() ? said.path("reasoning").asText("") : reasoning;
  }

  /**
   * Anthropic's stop reason for an OpenAI finish reason; {@code tool_use} whenever tools were
   * called, as some servers finish such an answer with {@code stop}, and agents loop on it.
   */
  static String stopReason(String finishReason, boolean calledTools) {
    if (calledTools && !"length".equals(finishReason)) {
      return "tool_use";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /** Anthropic's usage: input without the cached tokens, which it counts as cache reads. */
  static ObjectNode usage(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    ObjectNode out =
        OpenAiJson.MAPPER
            .createObjectNode()
            .put("input_tokens", Math.max(0, prompt - cached))
            .put("output_tokens", usage.path("completion_tokens").asLong(0));
    if (cached > 0) {
      out.put("cache_read_input_tokens", cached);
    }
    return out;
  }

  /**
   * A tool call's arguments as the JSON object Anthropic's {@code input} is; {} when unreadable.
   */
  static JsonNode arguments(String arguments) {
    try {
      JsonNode parsed = arguments.isBlank() ? null : OpenAiJson.MAPPER.readTree(arguments);
      return parsed != null && parsed.isObject() ? parsed : OpenAiJson.MAPPER.createObjectNode();
    } catch (IOException e) {
      return OpenAiJson.MAPPER.createObjectNode();
    }
  }
}
