package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** OpenAI chat completions request → Bedrock {@code ConverseInput} (data-plane reference §3.1). */
final class ConverseRequests {

  private static final JsonNodeFactory F = OpenAiJson.MAPPER.getNodeFactory();
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

  private ConverseRequests() {}

  static ObjectNode converse(ObjectNode chat, String model) throws InvalidRequestException {
    ObjectNode out = F.objectNode();
    out.set("inferenceConfig", inferenceConfig(chat));
    JsonNode tier = chat.get("service_tier");
    if (tier != null && tier.isTextual()) {
      out.putObject("serviceTier").put("type", tier.asText());
    }
    ObjectNode extra = F.objectNode();
    if (chat.get("thinking") instanceof ObjectNode thinking) {
      extra.set("thinking", thinking);
    }
    if (chat.hasNonNull("reasoning_effort")) {
      extra.set("reasoning_config", chat.get("reasoning_effort"));
    }
    if (!extra.isEmpty()) {
      out.set("additionalModelRequestFields", extra);
    }
    ArrayNode system = F.arrayNode();
    out.set("messages", messages(chat.path("messages"), system));
    if (!system.isEmpty()) {
      out.set("system", system);
    }
    JsonNode tools = chat.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      out.set("toolConfig", toolConfig(tools, chat.get("tool_choice"), model));
    }
    return out;
  }

  private static ObjectNode inferenceConfig(JsonNode chat) {
    ObjectNode config = F.objectNode();
    ChatRequests.maxTokens(chat).ifPresent(n -> config.set("maxTokens", n));
    copyNumber(chat, "temperature", config, "temperature");
    copyNumber(chat, "top_p", config, "topP");
    JsonNode stop = chat.get("stop");
    if (stop != null && stop.isTextual()) {
      config.putArray("stopSequences").add(stop.asText());
    } else if (stop != null && stop.isArray()) {
      config.set("stopSequences", stop);
    }
    return config;
  }

  private static void copyNumber(JsonNode from, String name, ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value != null && value.isNumber()) {
      to.set(as, value);
    }
  }

  private static ArrayNode messages(JsonNode messages, ArrayNode system)
      throws InvalidRequestException {
    ArrayNode out = F.arrayNode();
    ArrayNode pendingResults = null;
    for (JsonNode message : messages) {
      String role = message.path("role").asText("");
      if (!role.equals("tool") && pendingResults != null) {
        out.addObject().put("role", "user").set("content", pendingResults);
        pendingResults = null;
      }
      switch (role) {
        case "system", "developer" -> systemBlocks(message.get("content"), system);
        case "user" -> out.addObject().put("role", "user").set("content", userContent(message));
        case "assistant" -> {
          ArrayNode content = assistantContent(message);
          if (!content.isEmpty()) {
            out.addObject().put("role", "assistant").set("content", content);
          }
        }
        case "tool" -> {
          pendingResults = pendingResults == null ? F.arrayNode() : pendingResults;
          ObjectNode result = pendingResults.addObject().putObject("toolResult");
          result
              .putArray("content")
              .addObject()
              .put("text", ChatRequests.text(message.get("content")));
          result.putNull("status");
          result.put("toolUseId", message.path("tool_call_id").asText(""));
        }
        default -> throw ChatRequests.unsupported("unsupported message role: " + role);
      }
    }
    if (pendingResults != null) {
      out.addObject().put("role", "user").set("content", pendingResults);
    }
    return out;
  }

  private static void systemBlocks(JsonNode content, ArrayNode system) {
    if (content == null || content.isTextual()) {
      system.addObject().put("text", content == null ? "" : content.asText());
      return;
    }
    for (JsonNode part : content) {
      system
          .addObject()
          .put("text", part.isTextual() ? part.asText() : part.path("text").asText(""));
      cachePoint(part, system);
    }
  }

  private static void cachePoint(JsonNode part, ArrayNode into) {
    if ("ephemeral".equals(part.path("cache_control").path("type").asText())) {
      into.addObject().putObject("cachePoint").put("type", "default");
    }
  }

  private static ArrayNode userContent(JsonNode message) throws InvalidRequestException {
    ArrayNode out = F.arrayNode();
    JsonNode content = message.get("content");
    if (content == null || content.isTextual()) {
      out.addObject().put("text", content == null ? "" : content.asText());
      return out;
    }
    for (JsonNode part : content) {
      switch (part.path("type").asText("")) {
        case "text" -> out.addObject().put("text", part.path("text").asText(""));
        case "image_url" -> out.add(image(part.path("image_url").path("url").asText("")));
        default -> {
          continue; // input_audio and file parts have no Converse form: dropped as upstream does
        }
      }
      cachePoint(part, out);
    }
    return out;
  }

  private static ObjectNode image(String url) throws InvalidRequestException {
    Optional<ChatRequests.DataUri> data = ChatRequests.dataUri(url);
    if (data.isEmpty() || !IMAGE_FORMATS.contains(data.get().subtype())) {
      throw ChatRequests.unsupported(
          "Bedrock takes images only as base64 data URIs of png, jpeg, gif or webp");
    }
    ObjectNode image = F.objectNode();
    ObjectNode inner = image.putObject("image");
    inner.put("format", data.get().subtype());
    inner.putObject("source").put("bytes", data.get().base64());
    return image;
  }

  private static ArrayNode assistantContent(JsonNode message) throws InvalidRequestException {
    ArrayNode out = F.arrayNode();
    JsonNode content = message.get("content");
    if (!ChatRequests.hasThinkingPart(content)) {
      // the reasoning a response gave the client (thinking_blocks), sent back first with its
      // signature, as Bedrock wants an assistant turn that used tools with thinking on
      for (JsonNode block : message.path("thinking_blocks")) {
        thinkingBlock(block, out);
      }
    }
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      out.addObject().put("text", content.asText());
    } else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        assistantPart(part, out);
      }
    }
    for (JsonNode call : message.path("tool_calls")) {
      String id = call.path("id").asText("");
      if (id.isEmpty()) {
        throw ChatRequests.unsupported("tool call without an id");
      }
      ObjectNode use = out.addObject().putObject("toolUse");
      use.put("name", call.path("function").path("name").asText(""));
      use.set("input", arguments(call.path("function").path("arguments").asText("")));
      use.put("toolUseId", id);
    }
    return out;
  }

  /** An entry of thinking_blocks, as this translator's responses give them, as Converse's. */
  private static void thinkingBlock(JsonNode block, ArrayNode out) {
    switch (block.path("type").asText("")) {
      case "thinking" -> {
        ObjectNode text = out.addObject().putObject("reasoningContent").putObject("reasoningText");
        text.put("text", block.path("thinking").asText(""));
        if (block.hasNonNull("signature")) {
          text.put("signature", block.get("signature").asText());
        }
      }
      case "redacted_thinking" ->
          out.addObject()
              .putObject("reasoningContent")
              .put("redactedContent", block.path("data").asText(""));
      default -> {
        // no other kind of thinking block
      }
    }
  }

  private static void assistantPart(JsonNode part, ArrayNode out) throws InvalidRequestException {
    switch (part.path("type").asText("")) {
      case "text" -> out.addObject().put("text", part.path("text").asText(""));
      case "refusal" -> out.addObject().put("text", part.path("refusal").asText(""));
      case "thinking" -> {
        ObjectNode text = out.addObject().putObject("reasoningContent").putObject("reasoningText");
        text.put("text", part.path("thinking").asText(""));
        if (part.hasNonNull("signature")) {
          text.put("signature", part.get("signature").asText());
        }
      }
      case "redacted_thinking" -> {
        JsonNode data = part.get("data");
        if (data == null || data.isTextual()) {
          throw ChatRequests.unsupported("redacted_thinking content must be binary");
        }
        out.addObject().putObject("reasoningContent").set("redactedContent", data);
      }
      default -> {
        return;
      }
    }
    cachePoint(part, out);
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

  private static ObjectNode toolConfig(JsonNode tools, JsonNode choice, String model)
      throws InvalidRequestException {
    ObjectNode config = F.objectNode();
    ArrayNode specs = config.putArray("tools");
    for (JsonNode tool : tools) {
      JsonNode function = tool.path("function");
      ObjectNode spec = specs.addObject().putObject("toolSpec");
      spec.put("name", function.path("name").asText(""));
      if (function.hasNonNull("description")) {
        spec.put("description", function.get("description").asText());
      }
      JsonNode parameters = function.get("parameters");
      spec.putObject("inputSchema").set("json", parameters == null ? F.objectNode() : parameters);
      cachePoint(tool, specs);
    }
    if (choice == null || choice.isNull()) {
      return config;
    }
    if (choice.isTextual()) {
      String lower = model.toLowerCase(Locale.ROOT);
      switch (choice.asText()) {
        case "auto" -> config.putObject("toolChoice").putObject("auto");
        case "required" -> config.putObject("toolChoice").putObject("any");
        default -> {
          if (lower.contains("anthropic") && lower.contains("claude")) {
            config.putObject("toolChoice").putObject("tool").put("name", choice.asText());
          }
        }
      }
    } else if (choice.isObject() && choice.path("function").hasNonNull("name")) {
      config
          .putObject("toolChoice")
          .putObject("tool")
          .put("name", choice.path("function").path("name").asText());
    } else {
      throw ChatRequests.unsupported("tool_choice type not supported");
    }
    return config;
  }

  /** Go's {@code url.PathEscape}: unreserved characters and {@code $&+,:;=@} stay as they are. */
  static String pathEscape(String segment) {
    StringBuilder out = new StringBuilder(segment.length() + 8);
    for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~$&+,:;=@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%')
            .append("0123456789ABCDEF".charAt(c >> 4))
            .append("0123456789ABCDEF".charAt(c & 0xf));
      }
    }
    return out.toString();
  }
}
