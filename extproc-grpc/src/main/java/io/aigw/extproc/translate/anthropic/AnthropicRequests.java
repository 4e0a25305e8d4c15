package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/** OpenAI chat completions request → Anthropic Messages request (reference §3.4). */
final class AnthropicRequests {

  private static final JsonNodeFactory F = OpenAiJson.MAPPER.getNodeFactory();
  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  /**
   * Anthropic requires {@code max_tokens} and OpenAI clients mostly send none: upstream sends 0,
   * which Anthropic refuses with a 400, so a request that works against OpenAI failed here.
   */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private AnthropicRequests() {}

  static ObjectNode messages(ObjectNode chat) throws InvalidRequestException {
    ObjectNode out = F.objectNode();
    out.set("max_tokens", ChatRequests.maxTokens(chat).orElse(F.numberNode(DEFAULT_MAX_TOKENS)));
    ArrayNode system = F.arrayNode();
    ArrayNode messages = out.putArray("messages");
    ArrayNode results = null;
    for (JsonNode message : chat.path("messages")) {
      String role = message.path("role").asText("");
      if (!role.equals("tool") && results != null) {
        messages.addObject().put("role", "user").set("content", results);
        results = null;
      }
      switch (role) {
        case "system", "developer" -> {
          ObjectNode block = system.addObject().put("type", "text");
          block.put("text", ChatRequests.text(message.get("content")));
          cacheControl(lastPart(message.get("content")), block);
        }
        case "user" -> messages.addObject().put("role", "user").set("content", user(message));
        case "assistant" ->
            messages.addObject().put("role", "assistant").set("content", assistant(message));
        case "tool" -> {
          results = results == null ? F.arrayNode() : results;
          results.add(toolResult(message));
        }
        default -> throw ChatRequests.unsupported("unsupported message role: " + role);
      }
    }
    if (results != null) {
      messages.addObject().put("role", "user").set("content", results);
    }
    if (!system.isEmpty()) {
      out.set("system", system);
    }
    sampling(chat, out);
    tools(chat, out);
    return out;
  }

  private static JsonNode lastPart(JsonNode content) {
    return content != null && content.isArray() && !content.isEmpty()
        ? content.get(content.size() - 1)
        : F.objectNode();
  }

  private static void cacheControl(JsonNode from, ObjectNode to) {
    if (from != null && from.get("cache_control") instanceof ObjectNode cache) {
      to.set("cache_control", cache);
    }
  }

  private static void sampling(ObjectNode chat, ObjectNode out) throws InvalidRequestException {
    JsonNode temperature = chat.get("temperature");
    if (temperature != null && temperature.isNumber()) {
      double t = temperature.asDouble();
      if (t < 0 || t > 1) {
        throw ChatRequests.unsupported(
            String.format(
                java.util.Locale.ROOT,
                "temperature %.2f is not supported by Anthropic (must be between 0.0 and 1.0)",
                t));
      }
      out.set("temperature", temperature);
    }
    if (chat.get("top_p") != null && chat.get("top_p").isNumber()) {
      out.set("top_p", chat.get("top_p"));
    }
    JsonNode stop = chat.get("stop");
    if (stop != null && stop.isTextual()) {
      out.putArray("stop_sequences").add(stop.asText());
    } else if (stop != null && stop.isArray()) {
      out.set("stop_sequences", stop);
    }
    if (chat.get("thinking") instanceof ObjectNode thinking) {
      out.set("thinking", thinking);
    }
  }

  private static void tools(ObjectNode chat, ObjectNode out) throws InvalidRequestException {
    JsonNode tools = chat.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return;
    }
    ArrayNode specs = out.putArray("tools");
    for (JsonNode tool : tools) {
      if (!"function".equals(tool.path("type").asText("function"))) {
        throw ChatRequests.unsupported(
            "tool type " + tool.path("type").asText() + " not supported");
      }
      JsonNode function = tool.path("function");
      ObjectNode spec = specs.addObject().put("name", function.path("name").asText(""));
      if (function.hasNonNull("description")) {
        spec.put("description", function.get("description").asText());
      }
      ObjectNode schema =
          function.get("parameters") instanceof ObjectNode p ? p.deepCopy() : F.objectNode();
      if (!schema.has("type")) {
        schema.put("type", "object");
      }
      spec.set("input_schema", schema);
      cacheControl(tool, spec);
    }
    JsonNode choice = chat.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return;
    }
    boolean parallel = chat.path("parallel_tool_calls").asBoolean(true);
    ObjectNode c = F.objectNode();
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "auto" -> c.put("type", "auto");
        case "required", "any" -> c.put("type", "any");
        case "none" -> c.put("type", "none");
        default -> c.put("type", "tool").put("name", choice.asText());
      }
    } else if (choice.path("function").hasNonNull("name")) {
      c.put("type", "tool").put("name", choice.path("function").path("name").asText());
    } else {
      throw ChatRequests.unsupported("tool_choice type not supported");
    }
    if (!"none".equals(c.path("type").asText()) && chat.has("parallel_tool_calls")) {
      c.put("disable_parallel_tool_use", !parallel);
    }
    out.set("tool_choice", c);
  }

  private static ArrayNode user(JsonNode message) throws InvalidRequestException {
    ArrayNode out = F.arrayNode();
    JsonNode content = message.get("content");
    if (content == null || content.isTextual()) {
      out.addObject().put("type", "text").put("text", content == null ? "" : content.asText());
      return out;
    }
    for (JsonNode part : content) {
      ObjectNode block;
      switch (part.path("type").asText("")) {
        case "text" ->
            block = out.addObject().put("type", "text").put("text", part.path("text").asText(""));
        case "image_url" -> block = image(part.path("image_url").path("url").asText(""), out);
        default ->
            throw ChatRequests.unsupported(
                part.path("type").asText() + " content is not supported by Anthropic");
      }
      cacheControl(part, block);
    }
    return out;
  }

  private static ObjectNode image(String url, ArrayNode out) throws InvalidRequestException {
    Optional<ChatRequests.DataUri> data = ChatRequests.dataUri(url);
    if (data.isPresent()) {
      String mime = data.get().mimeType();
      boolean pdf = mime.equals("application/pdf");
      if (!pdf && !IMAGE_TYPES.contains(mime)) {
        throw ChatRequests.unsupported("image type " + mime + " is not supported by Anthropic");
      }
      ObjectNode block = out.addObject().put("type", pdf ? "document" : "image");
      block
          .putObject("source")
          .put("type", "base64")
          .put("media_type", mime)
          .put("data", data.get().base64());
      return block;
    }
    ObjectNode block = out.addObject().put("type", url.endsWith(".pdf") ? "document" : "image");
    block.putObject("source").put("type", "url").put("url", url);
    return block;
  }

  private static ArrayNode assistant(JsonNode message) throws InvalidRequestException {
    ArrayNode out = F.arrayNode();
    JsonNode content = message.get("content");
    if (!ChatRequests.hasThinkingPart(content)) {
      // the blocks a response gave the client (thinking_blocks), sent back first, as Anthropic
      // wants an assistant turn that used tools with thinking on
      for (JsonNode block : message.path("thinking_blocks")) {
        thinkingBlock(block, out);
      }
    }
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      out.addObject().put("type", "text").put("text", content.asText());
    } else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        switch (part.path("type").asText("")) {
          case "text" ->
              out.addObject().put("type", "text").put("text", part.path("text").asText(""));
          case "refusal" ->
              out.addObject().put("type", "text").put("text", part.path("refusal").asText(""));
          case "thinking", "redacted_thinking" -> thinkingBlock(part, out);
          default -> {
            // other parts have no Anthropic form
          }
        }
      }
    }
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode use = out.addObject().put("type", "tool_use");
      use.put("id", call.path("id").asText(""));
      use.put("name", call.path("function").path("name").asText(""));
      use.set("input", arguments(call.path("function").path("arguments").asText("")));
    }
    return out;
  }

  /**
   * A thinking or redacted_thinking content part, or an entry of thinking_blocks, as Anthropic's.
   */
  private static void thinkingBlock(JsonNode block, ArrayNode out) {
    switch (block.path("type").asText("")) {
      case "thinking" ->
          out.addObject()
              .put("type", "thinking")
              .put("thinking", block.path("thinking").asText(""))
              .put("signature", block.path("signature").asText(""));
      case "redacted_thinking" ->
          out.addObject()
              .put("type", "redacted_thinking")
              .put("data", block.path("data").asText(""));
      default -> {
        // no other kind of thinking block
      }
    }
  }

  private static ObjectNode toolResult(JsonNode message) throws InvalidRequestException {
    ObjectNode result = F.objectNode().put("type", "tool_result");
    result.put("tool_use_id", message.path("tool_call_id").asText(""));
    String text = ChatRequests.text(message.get("content"));
    boolean error = false;
    try {
      JsonNode parsed = OpenAiJson.MAPPER.readTree(text);
      error = parsed != null && parsed.isObject() && parsed.has("error");
    } catch (IOException e) {
      // plain text
    }
    result.put("is_error", error);
    result.putArray("content").addObject().put("type", "text").put("text", text);
    cacheControl(lastPart(message.get("content")), result);
    return result;
  }

  private static JsonNode arguments(String text) throws InvalidRequestException {
    try {
      JsonNode parsed = OpenAiJson.MAPPER.readTree(text.isEmpty() ? "{}" : text);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (IOException e) {
      // reported below
    }
    throw ChatRequests.unsupported("tool call arguments are not a JSON object");
  }
}
