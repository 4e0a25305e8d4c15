package io.aigw.extproc.translate.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.usage.OpenAiUsage;
import io.aigw.extproc.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI client to an OpenAI-compatible backend: the body passes through (rewritten only for a
 * model override or an injected {@code stream_options.include_usage}), the path gets the backend's
 * prefix, and the response passes through while usage is read from it. When usage was injected, the
 * usage-only chunk the client did not ask for is removed from the stream.
 */
public final class OpenAiToOpenAiTranslator implements Translator {

  private final Endpoint endpoint;
  private final SseParser sse = new SseParser();
  private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
  private boolean streamRequested;
  private boolean stripUsageChunk;
  private Boolean eventStream;
  // an answer neither JSON nor events (speech's audio) carries no usage: it passes untouched
  private boolean opaque;
  private boolean errorIsJson = true;
  private final BodyCollector errorParts = new BodyCollector();
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();

  public OpenAiToOpenAiTranslator(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    streamRequested = request.stream();
    if (endpoint.multipart()) {
      // a form: the model override is spliced into its field, every other byte kept
      Optional<byte[]> form =
          plan.modelOverride().isEmpty()
              ? Optional.empty()
              : Optional.of(
                  MultipartRequests.withModel(
                      plan.requestHeaders().getOrDefault("content-type", ""),
                      request.body(),
                      plan.modelOverride().get()));
      return new UpstreamRequest(path(plan.schema().prefix()), Optional.empty(), List.of(), form);
    }
    boolean inject =
        plan.injectIncludeUsage() && request.stream() && !request.clientAskedForUsage();
    stripUsageChunk = inject;
    Optional<ObjectNode> body = Optional.empty();
    if (plan.modelOverride().isPresent() || inject) {
      ObjectNode tree = readTree(request.body());
      plan.modelOverride().ifPresent(model -> tree.put("model", model));
      if (inject) {
        JsonNode options = tree.get("stream_options");
        ObjectNode streamOptions =
            options instanceof ObjectNode existing ? existing : tree.putObject("stream_options");
        streamOptions.put("include_usage", true);
      }
      body = Optional.of(tree);
    }
    return new UpstreamRequest(path(plan.schema().prefix()), body, List.of());
  }

  private String path(String prefix) {
    if (endpoint == Endpoint.TOKENIZE) {
      // vLLM serves it at its root, beside /v1
      return "/tokenize";
    }
    String trimmed = prefix == null ? "v1" : strip(prefix);
    return trimmed.isEmpty() ? "/" + endpoint.suffix() : "/" + trimmed + "/" + endpoint.suffix();
  }

  private static String strip(String prefix) {
    int start = 0;
    int end = prefix.length();
    while (start < end && prefix.charAt(start) == '/') {
      start++;
    }
    while (end > start && prefix.charAt(end - 1) == '/') {
      end--;
    }
    return prefix.substring(start, end);
  }

  private static ObjectNode readTree(byte[] body) throws InvalidRequestException {
    try {
      return (ObjectNode) OpenAiJson.MAPPER.readTree(body);
    } catch (IOException | ClassCastException e) {
      throw new InvalidRequestException("invalid_json", "malformed request: " + e.getMessage());
    }
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    if (errorIsJson) {
      return ResponseChunk.unchanged();
    }
    byte[] whole = errorParts.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    return ResponseChunk.replacedBy(
        ProviderError.openAi(
            "OpenAIBackendError", status, new String(whole, StandardCharsets.UTF_8)));
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    String contentType = headers.getOrDefault("content-type", "");
    errorIsJson = contentType.contains("json");
    if (status < 200 || status >= 300) {
      return errorIsJson
          ? List.of()
          : List.of(new UpstreamRequest.Header("content-type", "application/json"));
    }
    if (contentType.contains("text/event-stream")) {
      eventStream = true;
    } else if (contentType.contains("json")) {
      eventStream = false;
    } else {
      eventStream = streamRequested;
      opaque = !contentType.isEmpty() && !contentType.startsWith("text/");
    }
    return List.of();
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    if (opaque) {
      return ResponseChunk.unchanged();
    }
    boolean streamed = eventStream == null ? streamRequested : eventStream;
    return streamed ? streamChunk(chunk, endOfStream) : bufferedChunk(chunk, endOfStream);
  }

  private ResponseChunk bufferedChunk(byte[] chunk, boolean endOfStream) {
    if (!endOfStream) {
      buffered.writeBytes(chunk);
      return ResponseChunk.unchanged();
    }
    byte[] whole = chunk;
    if (buffered.size() > 0) {
      buffered.writeBytes(chunk);
      whole = buffered.toByteArray();
    }
    readBufferedUsage(whole);
    return ResponseChunk.unchanged();
  }

  private void readBufferedUsage(byte[] body) {
    try (JsonParser parser = OpenAiJson.FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
          usage = usage.overriddenBy(OpenAiUsage.from(OpenAiJson.MAPPER.readTree(parser)));
        } else if (endpoint == Endpoint.RESPONSES_INPUT_TOKENS
            && "input_tokens".equals(field)
            && value == JsonToken.VALUE_NUMBER_INT) {
          usage = TokenUsage.counted(parser.getLongValue());
        } else if (endpoint == Endpoint.TOKENIZE
            && "count".equals(field)
            && value == JsonToken.VALUE_NUMBER_INT) {
          usage = TokenUsage.counted(parser.getLongValue());
        } else if ("model".equals(field)
            && value == JsonToken.VALUE_STRING
            && !parser.getText().isEmpty()) {
          responseModel = Optional.of(parser.getText());
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable body is forwarded as it is; it just reports no usage
    }
  }

  private ResponseChunk streamChunk(byte[] chunk, boolean endOfStream) {
    List<SseEvent> events = sse.feed(chunk);
    if (endOfStream) {
      sse.finishEvent().ifPresent(events::add);
    }
    ByteArrayOutputStream kept = stripUsageChunk ? new ByteArrayOutputStream(chunk.length) : null;
    for (SseEvent event : events) {
      boolean usageOnly = inspect(event);
      if (kept != null && !usageOnly) {
        kept.writeBytes(event.raw());
      }
    }
    return kept == null ? ResponseChunk.unchanged() : ResponseChunk.replacedBy(kept.toByteArray());
  }

  /** Reads model and usage from one event; true when it is a usage-only chunk. */
  private boolean inspect(SseEvent event) {
    if (event.data().isEmpty() || event.isDone()) {
      return false;
    }
    String data = event.data().get();
    boolean hasUsage = hasUsageObject(data);
    // events of images and audio never name a model, and may carry megabytes of base64
    if (!hasUsage && (responseModel.isPresent() || !endpoint.eventsNameModel())) {
      return false;
    }
    JsonNode json;
    try {
      json = OpenAiJson.MAPPER.readTree(data);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (json == null || !json.isObject()) {
      return false;
    }
    if (endpoint == Endpoint.RESPONSES && json.path("response").isObject()) {
      // a Responses event (response.created, .completed, .incomplete, .failed) carries the
      // response, with its model and, at the end, its usage
      json = json.get("response");
    }
    JsonNode model = json.get("model");
    // Azure's first event, its content filter's verdict on the prompt, has an empty model
    if (responseModel.isEmpty()
        && model != null
        && model.isTextual()
        && !model.asText().isEmpty()) {
      responseModel = Optional.of(model.asText());
    }
    JsonNode usageNode = json.get("usage");
    if (usageNode == null || !usageNode.isObject()) {
      return false;
    }
    usage = usage.overriddenBy(OpenAiUsage.from(usageNode));
    JsonNode choices = json.get("choices");
    return choices == null || choices.isNull() || (choices.isArray() && choices.isEmpty());
  }

  /** A cheap pre-check so only chunks that may carry usage are parsed: {@code "usage" : {}. */
  static boolean hasUsageObject(String data) {
    int at = data.indexOf("\"usage\"");
    while (at >= 0) {
      int i = at + 7;
      while (i < data.length() && Character.isWhitespace(data.charAt(i))) {
        i++;
      }
      if (i < data.length() && data.charAt(i) == ':') {
        i++;
        while (i < data.length() && Character.isWhitespace(data.charAt(i))) {
          i++;
        }
        if (i < data.length() && data.charAt(i) == '{') {
          return true;
        }
      }
      at = data.indexOf("\"usage\"", at + 1);
    }
    return false;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public Optional<String> responseModel() {
    return responseModel;
  }
}
