package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChunkWriter;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.util.OptionalLong;

/** Bedrock {@code ConverseOutput} → OpenAI {@code chat.completion} (reference §3.1). */
final class ConverseResponses {

  private ConverseResponses() {}

  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens" -> "length";
      case "content_filtered" -> "content_filter";
      case "tool_use" -> "tool_calls";
      default -> "stop";
    };
  }

  /** Prompt tokens count cache reads and writes (Bedrock reports them apart). */
  static TokenUsage tokenUsage(long input, long output, Long cacheRead, Long cacheWrite) {
    long prompt =
        input + (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
    return new TokenUsage(
        OptionalLong.of(prompt),
        cacheRead == null ? OptionalLong.empty() : OptionalLong.of(cacheRead),
        cacheWrite == null ? OptionalLong.empty() : OptionalLong.of(cacheWrite),
        OptionalLong.of(output),
        OptionalLong.of(prompt + output),
        OptionalLong.empty());
  }

  static String usageJson(TokenUsage usage) {
    return ChunkWriter.usageJson(
        usage.inputOrZero(),
        usage.outputOrZero(),
        usage.totalOrZero(),
        usage.cachedInput().isPresent() ? usage.cachedInput().getAsLong() : null,
        usage.cacheCreationInput().isPresent() ? usage.cacheCreationInput().getAsLong() : null,
        null);
  }

  static TokenUsage usageOf(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return TokenUsage.NONE;
    }
    return tokenUsage(
        usage.path("inputTokens").asLong(0),
        usage.path("outputTokens").asLong(0),
        usage.has("cacheReadInputTokens") ? usage.get("cacheReadInputTokens").asLong() : null,
        usage.has("cacheWriteInputTokens") ? usage.get("cacheWriteInputTokens").asLong() : null);
  }

  /** The OpenAI completion, or null when {@code output} is missing (not a Converse answer). */
  static ObjectNode completion(JsonNode converse, String id, long created, String model)
      throws java.io.IOException {
    JsonNode message = converse.path("output").path("message");
    if (message.isMissingNode()) {
      return null;
    }
    ObjectNode out = OpenAiJson.MAPPER.createObjectNode();
    out.put("id", id);
    out.put("object", "chat.completion");
    out.put("created", created);
    out.put("model", model);
    if (converse.path("serviceTier").hasNonNull("type")) {
      out.put("service_tier", converse.path("serviceTier").path("type").asText());
    }
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode openAiMessage = choice.putObject("message");
    openAiMessage.put("role", message.path("role").asText("assistant"));
    ArrayNode calls = null;
    ArrayNode thinking = null;
    for (JsonNode block : message.path("content")) {
      if (block.has("text") && !openAiMessage.has("content")) {
        openAiMessage.put("content", block.get("text").asText());
      } else if (block.has("toolUse")) {
        calls = calls == null ? openAiMessage.putArray("tool_calls") : calls;
        JsonNode use = block.get("toolUse");
        ObjectNode call = calls.addObject();
        call.put("id", use.path("toolUseId").asText());
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", use.path("name").asText());
        function.put("arguments", OpenAiJson.MAPPER.writeValueAsString(use.path("input")));
      } else if (block.has("reasoningContent")) {
        thinking = thinking == null ? OpenAiJson.MAPPER.createArrayNode() : thinking;
        reasoning(block.get("reasoningContent"), openAiMessage, thinking);
      }
    }
    if (thinking != null) {
      openAiMessage.set("thinking_blocks", thinking);
    }
    choice.put("finish_reason", finishReason(converse.path("stopReason").asText(null)));
    TokenUsage usage = usageOf(converse.get("usage"));
    if (!usage.isEmpty()) {
      out.set("usage", OpenAiJson.MAPPER.readTree(usageJson(usage)));
    }
    return out;
  }

  private static void reasoning(JsonNode content, ObjectNode message, ArrayNode thinking) {
    JsonNode text = content.get("reasoningText");
    if (text != null) {
      message.put("reasoning_content", text.path("text").asText(""));
      ObjectNode block = thinking.addObject().put("type", "thinking");
      block.put("thinking", text.path("text").asText(""));
      if (text.hasNonNull("signature")) {
        block.put("signature", text.get("signature").asText());
      }
    } else if (content.has("redactedContent")) {
      thinking
          .addObject()
          .put("type", "redacted_thinking")
          .put("data", content.get("redactedContent").asText());
    }
  }
}
