package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.ChunkWriter;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.JsonText;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.translate.openai.SseEvent;
import io.aigw.extproc.translate.openai.SseParser;
import io.aigw.extproc.usage.TokenUsage;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OpenAI chat completions → Vertex AI Gemini ({@code generateContent}, {@code
 * streamGenerateContent?alt=sse}) under the policy's project and region. Tool calls get ids {@code
 * call_<n>} (Gemini has none); usage is read from {@code usageMetadata}, thoughts counted as output
 * and reasoning.
 */
public final class ChatCompletionsToGeminiTranslator implements Translator {

  /**
   * A candidate's fields a client reads as they are, and their names in the message (or the
   * stream's delta): why a safety filter held the answer back, and the sources of a grounded one.
   */
  private static final String[][] PASSED_ON = {
    {"safetyRatings", "safety_ratings"}, {"groundingMetadata", "grounding_metadata"}
  };

  private final BodyCollector collected = new BodyCollector();
  private final VertexError errors = new VertexError();
  private final ChunkWriter writer = new ChunkWriter();
  private SseParser sse;
  private String model = "";
  private long created;
  private boolean stream;
  private int tools;
  private boolean sawToolCall;
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();
  private GuidedOutput guided = GuidedOutput.NONE;

  /**
   * Whether the stream ends with a usage chunk: only when the client asked ({@code
   * stream_options.include_usage}), as OpenAI does; a chunk without choices breaks clients that
   * read {@code choices[0]} of every chunk.
   */
  private boolean usageChunk;

  private final Map<Integer, GuidedStream> guidedStreams = new HashMap<>();

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    created = plan.nowEpochSeconds();
    stream = request.stream();
    usageChunk = request.clientAskedForUsage();
    ObjectNode chat = ChatRequests.tree(request);
    guided = GuidedOutput.of(chat);
    ObjectNode body = GeminiRequests.generateContent(chat, model, guided);
    String verb = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
    return new UpstreamRequest(
        GcpPaths.of(plan, "publishers/google/models/" + model + verb),
        Optional.of(body),
        List.of());
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    if (status == 200 && stream) {
      sse = new SseParser();
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
    if (sse != null) {
      List<SseEvent> events = sse.feed(chunk);
      if (endOfStream) {
        sse.finishEvent().ifPresent(events::add);
      }
      for (SseEvent event : events) {
        event.data().ifPresent(this::streamChunk);
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
      JsonNode response = OpenAiJson.MAPPER.readTree(whole);
      // a prompt Gemini blocks comes back without candidates, only promptFeedback and usage: it
      // is still an answer, with no choices (as upstream), never Gemini's own bytes
      if (response == null || !response.isObject() || response.has("error")) {
        return ResponseChunk.unchanged();
      }
      return ResponseChunk.replacedBy(OpenAiJson.MAPPER.writeValueAsBytes(completion(response)));
    } catch (IOException | RuntimeException e) {
      return ResponseChunk.unreadable("the provider's answer is not a Gemini response");
    }
  }

  private ObjectNode completion(JsonNode response) throws IOException {
    read(response);
    ObjectNode out = OpenAiJson.MAPPER.createObjectNode();
    out.put("id", response.path("responseId").asText(""));
    out.put("object", "chat.completion");
    out.put("created", created);
    out.put("model", responseModel.orElse(model));
    ArrayNode choices = out.putArray("choices");
    int index = 0;
    for (JsonNode candidate : response.path("candidates")) {
      ObjectNode choice = choices.addObject().put("index", index++);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      StringBuilder text = new StringBuilder();
      StringBuilder thoughts = new StringBuilder();
      ArrayNode calls = null;
      ArrayNode signed = null;
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.path("thoughtSignature").isTextual()) {
          signed = signed == null ? OpenAiJson.MAPPER.createArrayNode() : signed;
          signed
              .addObject()
              .put("type", "thinking")
              .put(
                  "thinking",
                  part.path("thought").asBoolean(false) ? part.path("text").asText("") : "")
              .put("signature", part.get("thoughtSignature").asText());
        }
        if (part.has("functionCall")) {
          calls = calls == null ? message.putArray("tool_calls") : calls;
          JsonNode call = part.get("functionCall");
          ObjectNode c = calls.addObject().put("id", "call_" + tools++).put("type", "function");
          c.putObject("function")
              .put("name", call.path("name").asText())
              .put("arguments", OpenAiJson.MAPPER.writeValueAsString(call.path("args")));
        } else if (part.path("thought").asBoolean(false)) {
          thoughts.append(part.path("text").asText(""));
        } else {
          text.append(part.path("text").asText(""));
        }
      }
      message.put("content", guided.clean(text.toString()));
      if (thoughts.length() > 0) {
        message.put("reasoning_content", thoughts.toString());
      }
      if (signed != null) {
        // the client sends them back so that Gemini 3 sees the thought behind its tool calls
        message.set("thinking_blocks", signed);
      }
      passOn(candidate, message);
      GeminiLogprobs.of(candidate).ifPresent(logprobs -> choice.set("logprobs", logprobs));
      String finish = finishReason(candidate.path("finishReason").asText(""), calls != null);
      if (finish != null) {
        choice.put("finish_reason", finish);
      }
    }
    if (!usage.isEmpty()) {
      out.set("usage", OpenAiJson.MAPPER.readTree(usageJson()));
    }
    return out;
  }

  private void streamChunk(String data) {
    JsonNode response;
    try {
      response = OpenAiJson.MAPPER.readTree(data);
    } catch (IOException e) {
      return;
    }
    if (response == null || !response.isObject()) {
      return;
    }
    read(response);
    writer.envelope(response.path("responseId").asText(""), created, responseModel.orElse(model));
    int position = 0;
    for (JsonNode candidate : response.path("candidates")) {
      // with candidateCount > 1 each streamed candidate says which choice it continues
      int index = candidate.path("index").asInt(position++);
      StringBuilder out = writer.choice(index).append("\"role\":\"assistant\"");
      StringBuilder text = new StringBuilder();
      StringBuilder thoughts = new StringBuilder();
      StringBuilder calls = new StringBuilder();
      StringBuilder signed = new StringBuilder();
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.path("thoughtSignature").isTextual()) {
          signedBlock(part, signed);
        }
        if (part.has("functionCall")) {
          sawToolCall = true;
          JsonNode call = part.get("functionCall");
          calls.append(calls.length() == 0 ? "" : ",").append("{\"index\":").append(tools);
          calls
              .append(",\"id\":\"call_")
              .append(tools++)
              .append("\",\"type\":\"function\",\"function\":{\"name\":");
          JsonText.quote(calls, call.path("name").asText(""));
          JsonText.quote(calls.append(",\"arguments\":"), call.path("args").toString())
              .append("}}");
        } else if (part.path("thought").asBoolean(false)) {
          thoughts.append(part.path("text").asText(""));
        } else {
          text.append(part.path("text").asText(""));
        }
      }
      String shown =
          guidedStreams.computeIfAbsent(index, i -> new GuidedStream(guided)).next(text.toString());
      JsonText.quote(out.append(",\"content\":"), shown);
      if (thoughts.length() > 0) {
        JsonText.quote(out.append(",\"reasoning_content\":"), thoughts.toString());
      }
      if (calls.length() > 0) {
        out.append(",\"tool_calls\":[").append(calls).append(']');
      }
      if (signed.length() > 0) {
        out.append(",\"thinking_blocks\":[").append(signed).append(']');
      }
      passOn(candidate, out);
      writer.end(
          finishReason(candidate.path("finishReason").asText(""), sawToolCall),
          GeminiLogprobs.of(candidate).map(JsonNode::toString).orElse(null));
    }
  }

  /** A signed part as a {@code thinking_blocks} entry, after those in {@code signed}. */
  private static void signedBlock(JsonNode part, StringBuilder signed) {
    signed.append(signed.length() == 0 ? "" : ",").append("{\"type\":\"thinking\",\"thinking\":");
    JsonText.quote(
        signed, part.path("thought").asBoolean(false) ? part.path("text").asText("") : "");
    JsonText.quote(signed.append(",\"signature\":"), part.get("thoughtSignature").asText())
        .append('}');
  }

  private static void passOn(JsonNode candidate, ObjectNode message) {
    for (String[] field : PASSED_ON) {
      if (candidate.hasNonNull(field[0])) {
        message.set(field[1], candidate.get(field[0]));
      }
    }
  }

  /** As {@link #passOn(JsonNode, ObjectNode)}, into a stream chunk's delta being written. */
  private static void passOn(JsonNode candidate, StringBuilder delta) {
    for (String[] field : PASSED_ON) {
      if (candidate.hasNonNull(field[0])) {
        delta.append(",\"").append(field[1]).append("\":").append(candidate.get(field[0]));
      }
    }
  }

  private void read(JsonNode response) {
    if (response.path("modelVersion").isTextual()) {
      responseModel = Optional.of(response.get("modelVersion").asText());
    }
    if (response.path("createTime").isTextual()) {
      try {
        created = Instant.parse(response.get("createTime").asText()).getEpochSecond();
      } catch (DateTimeParseException e) {
        // the request time stays
      }
    }
    JsonNode meta = response.get("usageMetadata");
    if (meta == null || !meta.isObject()) {
      return;
    }
    long prompt = meta.path("promptTokenCount").asLong(0);
    long candidates = meta.path("candidatesTokenCount").asLong(0);
    long thoughts = meta.path("thoughtsTokenCount").asLong(0);
    usage =
        new TokenUsage(
            OptionalLong.of(prompt),
            meta.has("cachedContentTokenCount")
                ? OptionalLong.of(meta.get("cachedContentTokenCount").asLong())
                : OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.of(candidates + thoughts),
            OptionalLong.of(meta.path("totalTokenCount").asLong(prompt + candidates + thoughts)),
            meta.has("thoughtsTokenCount") ? OptionalLong.of(thoughts) : OptionalLong.empty());
  }

  private String usageJson() {
    return ChunkWriter.usageJson(
        usage.inputOrZero(),
        usage.outputOrZero(),
        usage.totalOrZero(),
        usage.cachedInput().isPresent() ? usage.cachedInputOrZero() : null,
        null,
        usage.reasoning().isPresent() ? usage.reasoningOrZero() : null);
  }

  static String finishReason(String reason, boolean toolCalls) {
    return switch (reason) {
      case "" -> null;
      case "STOP" -> toolCalls ? "tool_calls" : "stop";
      case "MAX_TOKENS" -> "length";
      case "SAFETY",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT" ->
          "content_filter";
      case "RECITATION", "IMAGE_RECITATION" -> "recitation";
      case "MALFORMED_FUNCTION_CALL" -> "malformed_function_call";
      case "UNEXPECTED_TOOL_CALL" -> "unexpected_tool_call";
      case "LANGUAGE" -> "language";
      case "NO_IMAGE" -> "no_image";
      default -> "error";
    };
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    return errors.body(status, chunk, endOfStream);
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
