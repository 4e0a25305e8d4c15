package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.bedrock.BedrockPaths;
import io.aigw.extproc.translate.gcp.GcpPaths;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Anthropic Messages API ({@code /anthropic/v1/messages}) to Anthropic itself ({@code x-api-key};
 * the client's {@code anthropic-version} header is forwarded), to Claude on Vertex AI ({@code
 * rawPredict}/{@code streamRawPredict}) and to Claude on Bedrock ({@code invoke}/{@code
 * invoke-with-response-stream}, its event stream unwrapped into Anthropic SSE). Usage is read from
 * the message or from {@code message_start}/{@code message_delta}.
 */
public final class MessagesTranslator implements Translator {

  private static final Set<String> BEDROCK_BETAS =
      Set.of(
          "context-1m-2025-08-07",
          "interleaved-thinking-2025-05-14",
          "fine-grained-tool-streaming-2025-05-14",
          "token-efficient-tools-2025-02-19",
          "output-128k-2025-02-19",
          "computer-use-2025-01-24",
          "computer-use-2024-10-22",
          "web-search-2025-03-05",
          "tool-search-tool-2025-10-19");

  private final ApiSchema.Name schema;
  private final BodyCollector collected = new BodyCollector();
  private AnthropicEvents events;
  private boolean stream;
  private final AnthropicErrorBody errors;
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();

  public MessagesTranslator(ApiSchema.Name schema) {
    this.schema = schema;
    // Bedrock's own {"message":…} errors (a bad signature, throttling) are no error the SDK reads
    this.errors = new AnthropicErrorBody(schema == ApiSchema.Name.AWSAnthropic);
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    stream = request.stream();
    String model = plan.effectiveModel(request);
    responseModel = Optional.of(model);
    return switch (schema) {
      case GCPAnthropic -> {
        ObjectNode body = versioned(request, plan, "vertex-2023-10-16");
        body.remove("model");
        String verb = stream ? ":streamRawPredict" : ":rawPredict";
        yield new UpstreamRequest(
            GcpPaths.of(plan, "publishers/anthropic/models/" + model + verb),
            Optional.of(body),
            List.of());
      }
      case AWSAnthropic -> {
        ObjectNode body = versioned(request, plan, "bedrock-2023-05-31");
        body.remove("model");
        body.remove("stream");
        betas(plan.requestHeaders().get("anthropic-beta"), body);
        yield new UpstreamRequest(BedrockPaths.invoke(model, stream), Optional.of(body), List.of());
      }
      default -> NativeAnthropic.request(request, plan, "messages");
    };
  }

  private static ObjectNode versioned(ParsedRequest request, RequestPlan plan, String fallback)
      throws InvalidRequestException {
    ObjectNode body = ChatRequests.tree(request);
    String version = plan.schema().version();
    body.put("anthropic_version", version == null || version.isEmpty() ? fallback : version);
    return body;
  }

  private static void betas(String header, ObjectNode body) {
    if (header == null || header.isBlank()) {
      return;
    }
    ArrayNode out = OpenAiJson.MAPPER.createArrayNode();
    for (String raw : header.split(",")) {
      String beta = raw.strip().toLowerCase(Locale.ROOT);
      beta = beta.equals("advanced-tool-use-2025-11-20") ? "tool-search-tool-2025-10-19" : beta;
      boolean seen = false;
      for (JsonNode existing : out) {
        seen |= existing.asText().equals(beta);
      }
      if (BEDROCK_BETAS.contains(beta) && !seen) {
        out.add(beta);
      }
    }
    if (!out.isEmpty()) {
      body.set("anthropic_beta", out);
    }
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    String contentType = headers.getOrDefault("content-type", "");
    List<UpstreamRequest.Header> errorHeaders = errors.headers(status, headers);
    if (status == 200 && stream) {
      boolean eventStream = contentType.contains("amazon.eventstream");
      events = new AnthropicEvents(eventStream);
      if (eventStream) {
        return List.of(new UpstreamRequest.Header("content-type", "text/event-stream"));
      }
    }
    return errorHeaders;
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    if (events != null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length + 64);
      for (AnthropicEvents.Event event : events.feed(chunk, endOfStream)) {
        observe(event.json());
        out.writeBytes(event.sse());
      }
      return schema == ApiSchema.Name.AWSAnthropic
          ? ResponseChunk.replacedBy(out.toByteArray())
          : ResponseChunk.unchanged();
    }
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole != null) {
      try {
        JsonNode message = OpenAiJson.MAPPER.readTree(whole);
        usage = AnthropicUsage.of(message.get("usage"), usage);
        if (message.path("model").isTextual()) {
          responseModel = Optional.of(message.get("model").asText());
        }
      } catch (IOException | RuntimeException e) {
        // an unreadable body passes through; it reports no usage
      }
      return whole == chunk ? ResponseChunk.unchanged() : ResponseChunk.replacedBy(whole);
    }
    return ResponseChunk.replacedBy(new byte[0]);
  }

  private void observe(JsonNode event) {
    if (event == null) {
      return;
    }
    switch (event.path("type").asText("")) {
      case "message_start" -> {
        JsonNode message = event.path("message");
        usage = AnthropicUsage.of(message.get("usage"), usage);
        if (message.path("model").isTextual()) {
          responseModel = Optional.of(message.get("model").asText());
        }
      }
      case "message_delta" -> usage = AnthropicUsage.of(event.get("usage"), usage);
      default -> {
        // content events carry no usage
      }
    }
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
    return responseModel;
  }
}
