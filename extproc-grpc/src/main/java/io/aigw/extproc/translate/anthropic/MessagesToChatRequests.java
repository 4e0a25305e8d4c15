package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request as an OpenAI chat completions request, for a Messages client
 * (Claude Code, the Anthropic SDKs) served by an OpenAI-compatible backend: the system prompt
 * first, {@code tool_use} blocks as the assistant's {@code tool_calls}, {@code tool_result} blocks
 * as {@code tool} messages, {@code max_tokens} as {@code max_completion_tokens}, and a stream asked
 * to end with its usage. What chat completions cannot carry is refused with 422 (a server tool such
 * as web search) or left out (a thinking block the model wrote, {@code top_k}).
 */
final class MessagesToChatRequests {

  private MessagesToChatRequests() {}

  static ObjectNode chat(ObjectNode messages, String model) throws InvalidRequestException {
    ObjectNode chat = OpenAiJson.MAPPER.createObjectNode().put("model", model);
    ArrayNode out = chat.putArray("messages");
    JsonNode system = messages.get("system");
    if (system != null && !system.isNull()) {
      String text = systemText(system);
      if (!text.isEmpty()) {
        out.addObject().put("role", "system").put("content", text);
      }
    }
    for (JsonNode message : messages.path("messages")) {
      String role = message.path("role").asText("");
      switch (role) {
        case "user" -> user(message.get("content"), out);
        case "assistant" -> assistant(message.get("content"), out);
        default ->
            throw ChatRequests.unsupported("a message's role must be user or assistant: " + role);
      }
    }
    if (messages.path("max_tokens").canConvertToLong()) {
      chat.put("max_completion_tokens", messages.get("max_tokens").asLong());
    }
    copy(messages, "temperature", chat, "temperature");
    copy(messages, "top_p", chat, "top_p");
    copy(messages, "stop_sequences", chat, "stop");
    if (messages.path("metadata").path("user_id").isTextual()) {
      chat.put("user", messages.get("metadata").get("user_id").asText());
    }
    if (messages.path("stream").asBoolean(false)) {
      chat.put("stream", true);
      chat.putObject("stream_options").put("include_usage", true);
    }
    tools(messages, chat);
    return chat;
  }

  /** A system prompt's text; its blocks (Claude Code sends several) as paragraphs. */
  private static String systemText(JsonNode system) {
    if (system.isTextual()) {
      return system.asText();
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode block : system) {
      String text = block.path("text").asText("");
      if (!text.isEmpty()) {
        texts.add(text);
      }
    }
    return String.join("\n\n", texts);
  }

  /** A user turn: its tool results first, as {@code tool} messages, then what it says. */
  private static void user(JsonNode content, ArrayNode out) throws InvalidRequestException {
    if (content == null || content.isTextual()) {
      out.addObject().put("role", "user").put("content", content == null ? "" : content.asText());
      return;
    }
    ArrayNode parts = OpenAiJson.MAPPER.createArrayNode();
    for (JsonNode block : content) {
      switch (block.path("type").asText("")) {
        case "text" ->
            parts.addObject().put("type", "text").put("text", block.path("text").asText(""));
        case "image" -> parts.add(image(block.path("source")));
        case "tool_result" -> {
          out.addObject()
              .put("role", "tool")
              .put("tool_call_id", block.path("tool_use_id").asText(""))
              .put("content", toolResult(block));
          // a tool message carries text only: its images (a screenshot read) go with the user's
          for (JsonNode part : block.path("content")) {
            if ("image".equals(part.path("type").asText())) {
              parts.add(image(part.path("source")));
            }
          }
        }
        default ->
            throw ChatRequests.unsupported(
                block.path("type").asText() + " content is not supported by chat completions");
      }
    }
    if (!parts.isEmpty()) {
      out.addObject().put("role", "user").set("content", parts);
    }
  }

  private static String toolResult(JsonNode block) {
    JsonNode content = block.get("content");
    String text;
    if (content == null || content.isTextual() || content.isNull()) {
      text = content == null || content.isNull() ? "" : content.asText();
    } else {
      List<String> texts = new ArrayList<>();
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asText())) {
          texts.add(part.path("text").asText(""));
        }
      }
      text = String.join("\n", texts);
    }
    // chat completions has no error flag on a tool's answer: the model reads it in the text
    return block.path("is_error").asBoolean(false) ? "Error: " + text : text;
  }

  private static ObjectNode image(JsonNode source) throws InvalidRequestException {
    String url =
        switch (source.path("type").asText("")) {
          case "base64" ->
              "data:"
                  + source.path("media_type").asText("image/png")
                  + ";base64,"
                  + source.path("data").asText("");
          case "url" -> source.path("url").asText("");
          default -> throw ChatRequests.unsupported("an image needs a base64 or url source");
        };
    ObjectNode part = OpenAiJson.MAPPER.createObjectNode().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  /** An assistant turn: its text, and its tool uses as tool calls; its thinking stays behind. */
  private static void assistant(JsonNode content, ArrayNode out) throws InvalidRequestException {
    ObjectNode message = out.addObject().put("role", "assistant");
    if (content == null || content.isTextual()) {
      message.put("content", content == null ? "" : content.asText());
      return;
    }
    List<String> texts = new ArrayList<>();
    ArrayNode calls = OpenAiJson.MAPPER.createArrayNode();
    for (JsonNode block : content) {
      switch (block.path("type").asText("")) {
        case "text" -> texts.add(block.path("text").asText(""));
        case "tool_use" -> {
          ObjectNode call =
              calls.addObject().put("id", block.path("id").asText("")).put("type", "function");
          call.putObject("function")
              .put("name", block.path("name").asText(""))
              .put(
                  "arguments",
                  block.path("input").isMissingNode() ? "{}" : block.get("input").toString());
        }
        case "thinking", "redacted_thinking" -> {
          // another provider's reasoning: the backend neither reads nor verifies it
        }
        default ->
            throw ChatRequests.unsupported(
                block.path("type").asText() + " content is not supported by chat completions");
      }
    }
    if (texts.isEmpty() && !calls.isEmpty()) {
      message.putNull("content");
    } else if (texts.isEmpty()) {
      // only thinking (an answer cut off while it thought): OpenAI refuses a null content then
      message.put("content", "");
    } else {
      message.put("content", String.join("", texts));
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
  }

  private static void tools(ObjectNode messages, ObjectNode chat) throws InvalidRequestException {
    JsonNode tools = messages.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ArrayNode out = chat.putArray("tools");
      for (JsonNode tool : tools) {
        String type = tool.path("type").asText("custom");
        if (!"custom".equals(type)) {
          throw ChatRequests.unsupported(
              "the " + type + " tool is Anthropic's own, which chat completions cannot call");
        }
        ObjectNode function =
            out.addObject()
                .put("type", "function")
                .putObject("function")
                .put("name", tool.path("name").asText(""));
        if (tool.path("description").isTextual()) {
          function.put("description", tool.get("description").asText());
        }
        function.set(
            "parameters",
            tool.path("input_schema").isObject()
                ? tool.get("input_schema")
                : OpenAiJson.MAPPER.createObjectNode().put("type", "object"));
      }
    }
    JsonNode choice = messages.get("tool_choice");
    if (choice != null && choice.isObject()) {
      switch (choice.path("type").asText("")) {
        case "auto" -> chat.put("tool_choice", "auto");
        case "any" -> chat.put("tool_choice", "required");
        case "none" -> chat.put("tool_choice", "none");
        case "tool" ->
            chat.putObject("tool_choice")
                .put("type", "function")
                .putObject("function")
                .put("name", choice.path("name").asText(""));
        default -> throw ChatRequests.unsupported("unknown tool_choice " + choice.path("type"));
      }
      if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
        chat.put("parallel_tool_calls", false);
      }
    }
  }

  private static void copy(JsonNode from, String name, ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }
}
