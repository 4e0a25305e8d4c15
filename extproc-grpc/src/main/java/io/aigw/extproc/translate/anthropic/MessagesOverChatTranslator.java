package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.Endpoint;
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
import io.aigw.extproc.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code /anthropic/v1/messages}) served through a chat completions
 * translator: an OpenAI-compatible backend's own (vLLM, OpenAI), or Bedrock's Converse. The request
 * becomes a chat completion ({@link MessagesToChatRequests}) that the chat translator sends on its
 * way; what it answers in OpenAI's form comes back as Anthropic's ({@link ChatToMessages}, a stream
 * event by event by {@link ChatStreamToMessages}), and an error in OpenAI's shape as Anthropic's,
 * with its type and message. Usage and model are the chat translator's.
 */
public final class MessagesOverChatTranslator implements Translator {

  private final Translator chat;
  private final boolean thinking;
  private final BodyCollector answer = new BodyCollector();
  private final BodyCollector error = new BodyCollector();
  private final SseParser sse = new SseParser();
  private ChatStreamToMessages stream;
  private String model = "";

  /**
   * {@code chat}: a fresh chat completions translator for the backend's schema; {@code thinking}:
   * whether it takes Anthropic's {@code thinking} setting on (Converse passes it to Claude, where
   * OpenAI's API refuses the field).
   */
  public MessagesOverChatTranslator(Translator chat, boolean thinking) {
    this.chat = chat;
    this.thinking = thinking;
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    ObjectNode messages = ChatRequests.tree(request);
    ObjectNode body = MessagesToChatRequests.chat(messages, model);
    if (thinking && messages.get("thinking") instanceof ObjectNode setting) {
      body.set("thinking", setting);
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    // the chat asks for its usage at the end of a stream, as the Messages stream reports it
    ParsedRequest asChat =
        new ParsedRequest(Endpoint.CHAT_COMPLETIONS, bytes, model, request.stream(), true);
    if (request.stream()) {
      stream = new ChatStreamToMessages(model);
    }
    UpstreamRequest upstream = chat.request(asChat, plan);
    // a passthrough chat translator forwards "the client's bytes": here, the chat just made
    return upstream.body().isPresent()
        ? upstream
        : new UpstreamRequest(
            upstream.path(),
            Optional.of(body),
            withJsonType(upstream.headers()),
            upstream.rawBody());
  }

  private static List<UpstreamRequest.Header> withJsonType(List<UpstreamRequest.Header> headers) {
    List<UpstreamRequest.Header> out = new ArrayList<>(headers);
    if (out.stream().noneMatch(h -> h.name().equals("content-type"))) {
      out.add(new UpstreamRequest.Header("content-type", "application/json"));
    }
    return out;
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    chat.responseHeaders(status, headers);
    if (status < 200 || status >= 300) {
      return List.of(new UpstreamRequest.Header("content-type", "application/json"));
    }
    return stream != null
        ? List.of(new UpstreamRequest.Header("content-type", "text/event-stream"))
        : List.of(new UpstreamRequest.Header("content-type", "application/json"));
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    ResponseChunk inner = chat.responseBody(chunk, endOfStream);
    if (inner.unreadable().isPresent()) {
      return inner;
    }
    byte[] emitted = inner.replacement().orElse(chunk);
    return stream != null ? streamed(emitted, endOfStream) : buffered(emitted, endOfStream);
  }

  private ResponseChunk buffered(byte[] emitted, boolean endOfStream) {
    byte[] whole = answer.add(emitted, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    JsonNode completion = parse(whole);
    if (completion == null || !completion.path("choices").isArray()) {
      return ResponseChunk.unreadable("the provider's answer is not a chat completion");
    }
    return ResponseChunk.replacedBy(
        ChatToMessages.message(completion, model).toString().getBytes(StandardCharsets.UTF_8));
  }

  private ResponseChunk streamed(byte[] emitted, boolean endOfStream) {
    List<SseEvent> events = sse.feed(emitted);
    if (endOfStream) {
      sse.finishEvent().ifPresent(events::add);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(emitted.length * 2);
    for (SseEvent event : events) {
      if (event.isDone()) {
        stream.finish(out);
        continue;
      }
      JsonNode chunk = parse(event.data().orElse("").getBytes(StandardCharsets.UTF_8));
      if (chunk != null) {
        stream.chunk(chunk, out);
      }
    }
    if (endOfStream) {
      // a backend that ends without [DONE] still gets the stream closed for the client
      stream.finish(out);
    }
    return ResponseChunk.replacedBy(out.toByteArray());
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    ResponseChunk inner = chat.errorBody(status, chunk, endOfStream);
    // the chat translator's error, OpenAI-shaped unless it passed a text through as it came
    byte[] whole = error.add(inner.replacement().orElse(chunk), endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    JsonNode said = Optional.ofNullable(parse(whole)).map(e -> e.path("error")).orElse(null);
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
    return chat.usage();
  }

  @Override
  public Optional<String> responseModel() {
    return chat.responseModel();
  }
}
