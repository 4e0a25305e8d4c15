package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.translate.openai.SseEvent;
import io.aigw.extproc.translate.openai.SseParser;
import io.aigw.extproc.usage.OpenAiUsage;
import io.aigw.extproc.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code /anthropic/v1/messages}) to an OpenAI-compatible backend's chat
 * completions, as upstream serves it: the request by {@link MessagesToChatRequests}, the answer by
 * {@link ChatToMessages}, a stream event by event by {@link ChatStreamToMessages}, and an OpenAI
 * error in Anthropic's shape with its type and message. Usage is the chat completion's.
 */
public final class MessagesToOpenAiTranslator implements Translator {

  private final BodyCollector collected = new BodyCollector();
  private final SseParser sse = new SseParser();
  private ChatStreamToMessages stream;
  private String model = "";
  private boolean json = true;
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    ObjectNode chat = MessagesToChatRequests.chat(ChatRequests.tree(request), model);
    if (request.stream()) {
      stream = new ChatStreamToMessages(model);
    }
    String prefix = plan.schema().prefix() == null ? "v1" : plan.schema().prefix();
    String trimmed = prefix.replaceAll("^/+|/+$", "");
    return new UpstreamRequest(
        trimmed.isEmpty() ? "/chat/completions" : "/" + trimmed + "/chat/completions",
        Optional.of(chat),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    json = headers.getOrDefault("content-type", "").contains("json");
    if (status < 200 || status >= 300) {
      return List.of(new UpstreamRequest.Header("content-type", "application/json"));
    }
    return stream != null
        ? List.of(new UpstreamRequest.Header("content-type", "text/event-stream"))
        : List.of();
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    return stream != null ? streamed(chunk, endOfStream) : buffered(chunk, endOfStream);
  }

  private ResponseChunk buffered(byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    JsonNode completion = parse(whole);
    if (completion == null || !completion.path("choices").isArray()) {
      return ResponseChunk.unreadable("the provider's answer is not a chat completion");
    }
    usage = OpenAiUsage.from(completion.path("usage"));
    responseModel = Optional.of(completion.path("model").asText(model));
    return ResponseChunk.replacedBy(
        ChatToMessages.message(completion, model).toString().getBytes(StandardCharsets.UTF_8));
  }

  private ResponseChunk streamed(byte[] chunk, boolean endOfStream) {
    List<SseEvent> events = sse.feed(chunk);
    if (endOfStream) {
      sse.finishEvent().ifPresent(events::add);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length * 2);
    for (SseEvent event : events) {
      if (event.isDone()) {
        stream.finish(out);
        continue;
      }
      JsonNode json = parse(event.data().orElse("").getBytes(StandardCharsets.UTF_8));
      if (json != null) {
        if (responseModel.isEmpty() && !json.path("model").asText("").isEmpty()) {
          responseModel = Optional.of(json.get("model").asText());
        }
        stream.chunk(json, out);
      }
    }
    if (endOfStream) {
      // a backend that ends without [DONE] still gets the stream closed for the client
      stream.finish(out);
      usage = OpenAiUsage.from(stream.usage());
    }
    return ResponseChunk.replacedBy(out.toByteArray());
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    JsonNode error = json ? parse(whole) : null;
    JsonNode said = error == null ? null : error.path("error");
    if (said != null && said.path("message").isTextual()) {
      return ResponseChunk.replacedBy(
          ProviderError.anthropic(
              said.path("type").asText(ProviderError.anthropicType(status)),
              said.get("message").asText()));
    }
    return ResponseChunk.replacedBy(
        ProviderError.anthropic(
            ProviderError.anthropicType(status), new String(whole, StandardCharsets.UTF_8)));
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = body.length == 0 ? null : OpenAiJson.MAPPER.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
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
