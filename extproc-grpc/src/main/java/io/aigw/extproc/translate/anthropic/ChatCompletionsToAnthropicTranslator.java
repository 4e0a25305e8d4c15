package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.ChunkWriter;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.JsonText;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.bedrock.BedrockPaths;
import io.aigw.extproc.translate.gcp.GcpPaths;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI chat completions → Claude: on Anthropic itself ({@code /v1/messages}, which upstream
 * lacks), on Vertex AI (GCPAnthropic) and on Bedrock (AWSAnthropic, InvokeModel). Responses and
 * streams come back as OpenAI completions and chunks ending with {@code [DONE]}.
 */
public final class ChatCompletionsToAnthropicTranslator implements Translator {

  private final ApiSchema.Name schema;
  private final BodyCollector collected = new BodyCollector();
  private final ChunkWriter writer = new ChunkWriter();
  private AnthropicEvents events;
  private String model = "";
  private long created;

  /** The stream ends with a usage chunk only when the client asked, as OpenAI's does. */
  private boolean usageChunk;

  private boolean stream;
  private String errorType;
  private boolean errorIsJson;
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();
  private String stopReason;
  private int toolIndex = -1;
  private boolean inTool;

  /** The thinking of the block in flight, sent whole with its signature. */
  private final StringBuilder thinking = new StringBuilder();

  public ChatCompletionsToAnthropicTranslator(ApiSchema.Name schema) {
    this.schema = schema;
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    created = plan.nowEpochSeconds();
    stream = request.stream();
    usageChunk = request.clientAskedForUsage();
    ObjectNode chat = ChatRequests.tree(request);
    ObjectNode body = AnthropicRequests.messages(chat);
    OutputConfig.apply(chat, model, schema, body);
    String version = plan.schema().version();
    List<UpstreamRequest.Header> headers = List.of();
    String path;
    switch (schema) {
      case GCPAnthropic -> {
        body.put("anthropic_version", blank(version) ? "vertex-2023-10-16" : version);
        if (stream) {
          body.put("stream", true);
        }
        path =
            GcpPaths.of(
                plan,
                "publishers/anthropic/models/"
                    + model
                    + (stream ? ":streamRawPredict" : ":rawPredict"));
      }
      case AWSAnthropic -> {
        body.put("anthropic_version", blank(version) ? "bedrock-2023-05-31" : version);
        path = BedrockPaths.invoke(model, stream);
      }
      default -> {
        body.put("model", model);
        if (stream) {
          body.put("stream", true);
        }
        String prefix =
            plan.schema().prefix() == null
                ? "v1"
                : plan.schema().prefix().replaceAll("^/+|/+$", "");
        path = (prefix.isEmpty() ? "" : "/" + prefix) + "/messages";
        String anthropicVersion =
            plan.requestHeaders().getOrDefault("anthropic-version", "2023-06-01");
        headers = List.of(new UpstreamRequest.Header("anthropic-version", anthropicVersion));
      }
    }
    return new UpstreamRequest(path, Optional.of(body), headers);
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    String contentType = headers.getOrDefault("content-type", "");
    errorType = headers.get("x-amzn-errortype");
    errorIsJson = contentType.contains("json");
    if (status == 200 && stream) {
      events = new AnthropicEvents(contentType.contains("amazon.eventstream"));
      writer.envelope("", created, model);
      return List.of(new UpstreamRequest.Header("content-type", "text/event-stream"));
    }
    if (status < 200 || status >= 300) {
      return List.of(new UpstreamRequest.Header("content-type", "application/json"));
    }
    return List.of();
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    if (events != null) {
      for (AnthropicEvents.Event event : events.feed(chunk, endOfStream)) {
        if (event.json() != null) {
          onEvent(event.json());
        }
      }
      if (endOfStream) {
        if (!usage.isEmpty() && usageChunk) {
          writer.usage(usageJson());
        }
        writer.done();
      }
      return ResponseChunk.replacedBy(writer.take());
    }
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    try {
      ObjectNode completion = completion(OpenAiJson.MAPPER.readTree(whole));
      return completion == null
          ? ResponseChunk.unchanged()
          : ResponseChunk.replacedBy(OpenAiJson.MAPPER.writeValueAsBytes(completion));
    } catch (IOException | RuntimeException e) {
      return ResponseChunk.unreadable(
          "the provider's answer is not an Anthropic Messages response");
    }
  }

  static String finishReason(String stop) {
    if (stop == null) {
      return "stop";
    }
    return switch (stop) {
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }

  private String usageJson() {
    return ChunkWriter.usageJson(
        usage.inputOrZero(),
        usage.outputOrZero(),
        usage.totalOrZero(),
        usage.cachedInput().isPresent() ? usage.cachedInputOrZero() : null,
        usage.cacheCreationInput().isPresent() ? usage.cacheCreationInputOrZero() : null,
        null);
  }

  private ObjectNode completion(JsonNode message) throws IOException {
    if (message == null || !message.has("content")) {
      return null;
    }
    usage = AnthropicUsage.of(message.get("usage"), usage);
    if (message.path("model").isTextual()) {
      responseModel = Optional.of(message.get("model").asText());
    }
    ObjectNode out = OpenAiJson.MAPPER.createObjectNode();
    out.put("id", message.path("id").asText(""));
    out.put("object", "chat.completion");
    out.put("created", created);
    out.put("model", responseModel.orElse(model));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode reply = choice.putObject("message").put("role", "assistant");
    ArrayNode calls = null;
    ArrayNode thinking = null;
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText("")) {
        case "text" -> {
          if (!reply.has("content") && !block.path("text").asText("").isEmpty()) {
            reply.put("content", block.path("text").asText());
          }
        }
        case "tool_use" -> {
          calls = calls == null ? reply.putArray("tool_calls") : calls;
          ObjectNode call =
              calls.addObject().put("id", block.path("id").asText()).put("type", "function");
          call.putObject("function")
              .put("name", block.path("name").asText())
              .put("arguments", OpenAiJson.MAPPER.writeValueAsString(block.path("input")));
        }
        case "thinking" -> {
          reply.put("reasoning_content", block.path("thinking").asText(""));
          thinking = thinking == null ? reply.putArray("thinking_blocks") : thinking;
          ObjectNode kept =
              thinking
                  .addObject()
                  .put("type", "thinking")
                  .put("thinking", block.path("thinking").asText(""));
          if (block.hasNonNull("signature")) {
            kept.put("signature", block.get("signature").asText());
          }
        }
        case "redacted_thinking" -> {
          thinking = thinking == null ? reply.putArray("thinking_blocks") : thinking;
          thinking
              .addObject()
              .put("type", "redacted_thinking")
              .put("data", block.path("data").asText(""));
        }
        default -> {
          // other blocks have no OpenAI form
        }
      }
    }
    choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null)));
    out.set("usage", OpenAiJson.MAPPER.readTree(usageJson()));
    return out;
  }

  private void onEvent(JsonNode event) {
    switch (event.path("type").asText("")) {
      case "message_start" -> {
        JsonNode message = event.path("message");
        usage = AnthropicUsage.of(message.get("usage"), usage);
        if (message.path("model").isTextual()) {
          responseModel = Optional.of(message.get("model").asText());
        }
        writer.envelope(message.path("id").asText(""), created, responseModel.orElse(model));
        writer.choice().append("\"role\":\"assistant\",\"content\":\"\"");
        writer.end(null);
      }
      case "content_block_start" -> blockStart(event.path("content_block"));
      case "content_block_delta" -> blockDelta(event.path("delta"));
      case "content_block_stop" -> inTool = false;
      case "message_delta" -> {
        usage = AnthropicUsage.of(event.get("usage"), usage);
        stopReason = event.path("delta").path("stop_reason").asText(stopReason);
      }
      case "message_stop" -> {
        writer.choice();
        writer.end(finishReason(stopReason));
      }
      case "error" ->
          writer.error(
              event.path("error").path("type").asText("error"),
              event.path("error").path("message").asText(""));
      default -> {
        // ping: nothing to say
      }
    }
  }

  private void blockStart(JsonNode block) {
    String type = block.path("type").asText("");
    if (type.equals("redacted_thinking")) {
      StringBuilder out =
          writer.choice().append("\"thinking_blocks\":[{\"type\":\"redacted_thinking\"");
      JsonText.quote(out.append(",\"data\":"), block.path("data").asText("")).append("}]");
      writer.end(null);
      return;
    }
    if (!type.equals("tool_use") && !type.equals("server_tool_use")) {
      return;
    }
    inTool = true;
    toolIndex++;
    StringBuilder out = writer.choice().append("\"tool_calls\":[{\"index\":").append(toolIndex);
    JsonText.quote(out.append(",\"id\":"), block.path("id").asText(""));
    out.append(",\"type\":\"function\",\"function\":{\"name\":");
    JsonText.quote(out, block.path("name").asText(""));
    JsonNode input = block.path("input");
    String arguments = input.isObject() && !input.isEmpty() ? input.toString() : "";
    JsonText.quote(out.append(",\"arguments\":"), arguments).append("}}]");
    writer.end(null);
  }

  private void blockDelta(JsonNode delta) {
    switch (delta.path("type").asText("")) {
      case "text_delta" -> {
        JsonText.quote(writer.choice().append("\"content\":"), delta.path("text").asText(""));
        writer.end(null);
      }
      case "thinking_delta" -> {
        thinking.append(delta.path("thinking").asText(""));
        JsonText.quote(
            writer.choice().append("\"reasoning_content\":"), delta.path("thinking").asText(""));
        writer.end(null);
      }
      case "input_json_delta" -> {
        if (!inTool) {
          return;
        }
        StringBuilder out = writer.choice().append("\"tool_calls\":[{\"index\":").append(toolIndex);
        JsonText.quote(
            out.append(",\"function\":{\"arguments\":"), delta.path("partial_json").asText(""));
        out.append("}}]");
        writer.end(null);
      }
      case "signature_delta" -> {
        // the signature closes the thinking block: the client gets it whole, to send back as is
        StringBuilder out = writer.choice().append("\"thinking_blocks\":[{\"type\":\"thinking\"");
        JsonText.quote(out.append(",\"thinking\":"), thinking.toString());
        JsonText.quote(out.append(",\"signature\":"), delta.path("signature").asText(""))
            .append("}]");
        writer.end(null);
        thinking.setLength(0);
      }
      default -> {
        // no other delta has an OpenAI chunk form
      }
    }
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    String text = new String(whole, StandardCharsets.UTF_8);
    String fallback =
        switch (schema) {
          case AWSAnthropic -> "AWSBedrockBackendError";
          case GCPAnthropic -> "GCPBackendError";
          // the native API: upstream has no such path to name it after
          default -> "AnthropicBackendError";
        };
    try {
      JsonNode json = OpenAiJson.MAPPER.readTree(whole);
      if (json != null && json.isObject()) {
        JsonNode error = json.path("error");
        String type = error.path("type").asText(errorType == null ? fallback : errorType);
        String message = error.path("message").asText(json.path("message").asText(text));
        return ResponseChunk.replacedBy(ProviderError.openAi(type, status, message));
      }
    } catch (IOException e) {
      // not JSON
    }
    return ResponseChunk.replacedBy(ProviderError.openAi(fallback, status, text));
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public Optional<String> responseModel() {
    return responseModel.or(() -> model.isEmpty() ? Optional.empty() : Optional.of(model));
  }
}
