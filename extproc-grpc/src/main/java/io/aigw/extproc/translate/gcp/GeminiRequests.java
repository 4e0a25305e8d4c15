package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** OpenAI chat completions request → Vertex AI Gemini {@code generateContent} (reference §3.3). */
final class GeminiRequests {

  private static final JsonNodeFactory F = OpenAiJson.MAPPER.getNodeFactory();

  /** Base64 of {@code skip_thought_signature_validator}, as upstream sends it. */
  static final String SKIP_THOUGHT_SIGNATURE =
      Base64.getEncoder()
          .encodeToString("skip_thought_signature_validator".getBytes(StandardCharsets.US_ASCII));

  private GeminiRequests() {}

  static ObjectNode generateContent(ObjectNode chat, String model, GuidedOutput guided)
      throws InvalidRequestException {
    ObjectNode out = F.objectNode();
    ArrayNode contents = out.putArray("contents");
    ArrayNode system = F.arrayNode();
    Map<String, String> toolNames = new HashMap<>();
    ArrayNode user = null;
    for (JsonNode message : chat.path("messages")) {
      String role = message.path("role").asText("");
      switch (role) {
        case "system", "developer" -> {
          String text = ChatRequests.text(message.get("content"));
          if (!text.isEmpty()) {
            system.addObject().put("text", text);
          }
        }
        case "user" -> {
          user = user == null ? F.arrayNode() : user;
          userParts(message.get("content"), user, model);
        }
        case "tool" -> {
          user = user == null ? F.arrayNode() : user;
          ObjectNode response = user.addObject().putObject("functionResponse");
          response.put("name", toolNames.getOrDefault(message.path("tool_call_id").asText(), ""));
          response.putObject("response").put("output", ChatRequests.text(message.get("content")));
        }
        case "assistant" -> {
          if (user != null && !user.isEmpty()) {
            contents.addObject().put("role", "user").set("parts", user);
            user = null;
          }
          contents.addObject().put("role", "model").set("parts", modelParts(message, toolNames));
        }
        default -> throw ChatRequests.unsupported("unsupported message role: " + role);
      }
    }
    if (user != null && !user.isEmpty()) {
      contents.addObject().put("role", "user").set("parts", user);
    }
    out.set("tools", tools(chat.get("tools"), model));
    toolConfig(chat.get("tool_choice"), out);
    ObjectNode generation = generationConfig(chat, model, guided);
    // Gemini's own fields a client may send as they are, applied last
    if (chat.path("generationConfig").path("mediaResolution").isTextual()) {
      generation.set("mediaResolution", chat.get("generationConfig").get("mediaResolution"));
    }
    if (!generation.isEmpty()) {
      out.set("generationConfig", generation);
    }
    if (chat.path("safetySettings").isArray()) {
      out.set("safetySettings", chat.get("safetySettings"));
    }
    if (!system.isEmpty()) {
      out.putObject("systemInstruction").set("parts", system);
    }
    return out;
  }

  static void userParts(JsonNode content, ArrayNode parts, String model)
      throws InvalidRequestException {
    // Vertex refuses an empty text or file part (400) where OpenAI takes it: it is left out
    if (content == null || content.isTextual()) {
      String text = content == null ? "" : content.asText();
      if (!text.isEmpty()) {
        parts.addObject().put("text", text);
      }
      return;
    }
    for (JsonNode part : content) {
      switch (part.path("type").asText("")) {
        case "text" -> {
          String text = part.path("text").asText("");
          if (!text.isEmpty()) {
            parts.addObject().put("text", text);
          }
        }
        case "image_url" -> {
          String url = part.path("image_url").path("url").asText("");
          if (url.isEmpty()) {
            continue;
          }
          Optional<ChatRequests.DataUri> data = ChatRequests.dataUri(url);
          ObjectNode image = parts.addObject();
          if (data.isPresent()) {
            image
                .putObject("inlineData")
                .put("mimeType", data.get().mimeType())
                .put("data", data.get().base64());
          } else {
            image.putObject("fileData").put("mimeType", mimeOf(url)).put("fileUri", url);
          }
          mediaResolution(part.path("image_url").path("detail").asText(""), model, image);
        }
        default ->
            throw ChatRequests.unsupported(
                part.path("type").asText() + " content is not supported by Gemini");
      }
    }
  }

  /**
   * An image's {@code detail} as Gemini 3's per-part media resolution; earlier models have no such
   * setting, and {@code auto} leaves it to the model.
   */
  private static void mediaResolution(String detail, String model, ObjectNode part)
      throws InvalidRequestException {
    if (detail.isEmpty() || detail.equals("auto") || !model.contains("gemini-3")) {
      return;
    }
    String level =
        switch (detail) {
          case "low" -> "MEDIA_RESOLUTION_LOW";
          case "medium" -> "MEDIA_RESOLUTION_MEDIUM";
          case "high" -> "MEDIA_RESOLUTION_HIGH";
          default -> throw ChatRequests.unsupported("image detail " + detail + " is not supported");
        };
    part.putObject("mediaResolution").put("level", level);
  }

  private static String mimeOf(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    return lower.endsWith(".pdf") ? "application/pdf" : "image/jpeg";
  }

  private static ArrayNode modelParts(JsonNode message, Map<String, String> toolNames)
      throws InvalidRequestException {
    ArrayNode parts = F.arrayNode();
    thoughtParts(message, parts);
    String text = ChatRequests.text(message.get("content"));
    if (!text.isEmpty()) {
      parts.addObject().put("text", text);
    }
    boolean first = true;
    for (JsonNode call : message.path("tool_calls")) {
      String name = call.path("function").path("name").asText("");
      toolNames.put(call.path("id").asText(""), name);
      ObjectNode part = parts.addObject();
      ObjectNode function = part.putObject("functionCall").put("name", name);
      if (first) {
        part.put("thoughtSignature", thoughtSignature(message));
        first = false;
      }
      try {
        String args = call.path("function").path("arguments").asText("");
        function.set("args", OpenAiJson.MAPPER.readTree(args.isEmpty() ? "{}" : args));
      } catch (IOException e) {
        throw ChatRequests.unsupported("tool call arguments are not JSON");
      }
    }
    return parts;
  }

  /**
   * The assistant's thinking content parts, sent back as thoughts ahead of its text: the model
   * continues from its own reasoning. With no function call to carry it, a thought carries its own
   * signature.
   */
  private static void thoughtParts(JsonNode message, ArrayNode parts) {
    JsonNode content = message.get("content");
    if (content == null || !content.isArray()) {
      return;
    }
    boolean calls = !message.path("tool_calls").isEmpty();
    for (JsonNode part : content) {
      String thought = part.path("thinking").asText("");
      if (!"thinking".equals(part.path("type").asText()) || thought.isEmpty()) {
        continue;
      }
      ObjectNode out = parts.addObject().put("text", thought).put("thought", true);
      if (!calls && signed(part)) {
        out.put("thoughtSignature", part.get("signature").asText());
      }
    }
  }

  /**
   * Gemini 3 refuses a history whose first function call lacks the signature of the thought behind
   * it: the client's signature (a {@code thinking} content part, else the last signed entry of
   * {@code thinking_blocks}: an answer gives the signature of its function call after those of its
   * thoughts), else the value Gemini documents for calls it did not sign itself.
   */
  private static String thoughtSignature(JsonNode message) {
    JsonNode content = message.get("content");
    if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        if ("thinking".equals(part.path("type").asText()) && signed(part)) {
          return part.get("signature").asText();
        }
      }
    }
    String last = SKIP_THOUGHT_SIGNATURE;
    for (JsonNode block : message.path("thinking_blocks")) {
      if (signed(block)) {
        last = block.get("signature").asText();
      }
    }
    return last;
  }

  private static boolean signed(JsonNode part) {
    return part.path("signature").isTextual() && !part.get("signature").asText().isEmpty();
  }

  private static JsonNode tools(JsonNode tools, String model) throws InvalidRequestException {
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return F.nullNode();
    }
    ArrayNode out = F.arrayNode();
    ArrayNode declarations = F.arrayNode();
    boolean jsonSchema = takesJsonSchema(model);
    for (JsonNode tool : tools) {
      String type = tool.path("type").asText("function");
      switch (type) {
        case "function" -> {
          JsonNode function = tool.path("function");
          ObjectNode declaration =
              declarations.addObject().put("name", function.path("name").asText(""));
          if (function.hasNonNull("description")) {
            declaration.put("description", function.get("description").asText());
          }
          if (function.hasNonNull("parameters")) {
            JsonNode parameters = function.get("parameters");
            if (jsonSchema) {
              declaration.set("parametersJsonSchema", parameters);
            } else {
              declaration.set("parameters", GeminiSchema.of(parameters));
            }
          }
        }
        case "google_search" -> out.addObject().putObject("googleSearch");
        case "enterprise_web_search" -> out.addObject().putObject("enterpriseWebSearch");
        default ->
            throw ChatRequests.unsupported("tool type " + type + " is not supported by Gemini");
      }
    }
    if (!declarations.isEmpty()) {
      out.insertObject(0).set("functionDeclarations", declarations);
    }
    return out;
  }

  /**
   * Whether the model takes a JSON Schema as it is ({@code parametersJsonSchema}, {@code
   * responseJsonSchema}): Gemini 2.5 and later; earlier ones take Vertex's own {@code Schema}.
   */
  private static boolean takesJsonSchema(String model) {
    return model.contains("gemini") && (model.contains("2.5") || model.contains("3"));
  }

  private static void toolConfig(JsonNode choice, ObjectNode out) throws InvalidRequestException {
    if (choice == null || choice.isNull()) {
      return;
    }
    ObjectNode calling = F.objectNode();
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "auto" -> calling.put("mode", "AUTO");
        case "none" -> calling.put("mode", "NONE");
        case "required" -> calling.put("mode", "ANY");
        default ->
            throw ChatRequests.unsupported("tool_choice " + choice.asText() + " not supported");
      }
    } else if (choice.path("function").hasNonNull("name")) {
      calling
          .put("mode", "ANY")
          .putArray("allowedFunctionNames")
          .add(choice.path("function").path("name").asText());
    } else {
      throw ChatRequests.unsupported("tool_choice type not supported");
    }
    out.putObject("toolConfig").set("functionCallingConfig", calling);
  }

  private static ObjectNode generationConfig(JsonNode chat, String model, GuidedOutput guided)
      throws InvalidRequestException {
    ObjectNode config = F.objectNode();
    copy(chat, "temperature", config, "temperature");
    copy(chat, "top_p", config, "topP");
    copy(chat, "seed", config, "seed");
    copy(chat, "n", config, "candidateCount");
    copy(chat, "presence_penalty", config, "presencePenalty");
    copy(chat, "frequency_penalty", config, "frequencyPenalty");
    copy(chat, "top_logprobs", config, "logprobs");
    if (chat.has("logprobs")) {
      config.set("responseLogprobs", chat.get("logprobs"));
    }
    ChatRequests.maxTokens(chat).ifPresent(n -> config.set("maxOutputTokens", n));
    JsonNode stop = chat.get("stop");
    if (stop != null && stop.isTextual()) {
      config.putArray("stopSequences").add(stop.asText());
    } else if (stop != null && stop.isArray()) {
      config.set("stopSequences", stop);
    }
    guided.constrain(chat, config, takesJsonSchema(model));
    JsonNode format = chat.get("response_format");
    if (format != null && format.isObject()) {
      switch (format.path("type").asText("")) {
        case "text" -> config.put("responseMimeType", "text/plain");
        case "json_object" -> config.put("responseMimeType", "application/json");
        case "json_schema" -> {
          JsonNode schema = format.path("json_schema").path("schema");
          if (!schema.isObject()) {
            throw ChatRequests.unsupported("response_format json_schema needs json_schema.schema");
          }
          config.put("responseMimeType", "application/json");
          if (takesJsonSchema(model)) {
            config.set("responseJsonSchema", schema);
          } else {
            config.set("responseSchema", GeminiSchema.of(schema));
          }
        }
        default -> throw ChatRequests.unsupported("response_format type not supported");
      }
    }
    JsonNode thinking = chat.get("thinking");
    if (thinking != null && thinking.isObject()) {
      ObjectNode t = config.putObject("thinkingConfig");
      t.put("includeThoughts", !"disabled".equals(thinking.path("type").asText()));
      if (thinking.has("budget_tokens")) {
        t.set("thinkingBudget", thinking.get("budget_tokens"));
      }
    }
    JsonNode effort = chat.get("reasoning_effort");
    if (effort != null && effort.isTextual() && model.contains("gemini-3")) {
      ObjectNode t =
          config.has("thinkingConfig")
              ? (ObjectNode) config.get("thinkingConfig")
              : config.putObject("thinkingConfig");
      t.put("thinkingLevel", thinkingLevel(effort.asText(), model.contains("flash")));
      // Gemini 3 refuses a budget next to a level: the effort, the newer control, wins
      t.remove("thinkingBudget");
    }
    return config;
  }

  /**
   * Gemini 3's thinking level for an OpenAI reasoning effort: Flash takes MINIMAL, LOW, MEDIUM and
   * HIGH; Pro only LOW and HIGH, so minimal thinks LOW there, medium HIGH, and none cannot be had.
   */
  private static String thinkingLevel(String effort, boolean flash) throws InvalidRequestException {
    return switch (effort) {
      case "none" -> {
        if (!flash) {
          throw ChatRequests.unsupported(
              "reasoning_effort none is not supported by Gemini 3 Pro models");
        }
        yield "MINIMAL";
      }
      case "minimal" -> flash ? "MINIMAL" : "LOW";
      case "low" -> "LOW";
      case "medium" -> flash ? "MEDIUM" : "HIGH";
      case "high" -> "HIGH";
      default -> throw ChatRequests.unsupported("reasoning_effort " + effort + " is not supported");
    };
  }

  private static void copy(JsonNode from, String name, ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }
}
