package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.extproc.translate.bedrock.EventStreamDecoder;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.translate.openai.SseEvent;
import io.aigw.extproc.translate.openai.SseParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Anthropic stream events from either wire form: Anthropic SSE ({@code event:}/{@code data:}), or
 * Bedrock's event stream whose frames carry {@code {"bytes":"<base64 event JSON>"}} (AWSAnthropic).
 * Each event comes out as its raw SSE text and its parsed JSON.
 */
final class AnthropicEvents {

  /** One event: the SSE bytes a client of the Messages API sees, and the JSON. */
  record Event(byte[] sse, JsonNode json) {}

  private final boolean eventStream;
  private final SseParser sse = new SseParser();
  private final EventStreamDecoder frames = new EventStreamDecoder();
  private boolean damageSaid;

  AnthropicEvents(boolean eventStream) {
    this.eventStream = eventStream;
  }

  /**
   * The events {@code chunk} completes; at the end of the stream also an unterminated last SSE
   * event, read as if its blank line had come, its bytes kept as they came.
   */
  List<Event> feed(byte[] chunk, boolean endOfStream) {
    List<Event> out = new ArrayList<>(2);
    if (eventStream) {
      frames.feed(
          chunk,
          (type, messageType, exception, buffer, offset, length) -> {
            if (type == null && isFailure(messageType)) {
              out.add(
                  error(
                      errorType(exception),
                      EventStreamDecoder.exceptionMessage(buffer, offset, length)));
            } else {
              unwrap(buffer, offset, length, out);
            }
          });
      if (frames.corrupt() && !damageSaid) {
        damageSaid = true;
        out.add(error("api_error", "the provider's event stream is damaged"));
      }
      return out;
    }
    List<SseEvent> events = sse.feed(chunk);
    if (endOfStream) {
      sse.finishEvent().ifPresent(events::add);
    }
    for (SseEvent event : events) {
      out.add(new Event(event.raw(), parse(event.data().orElse(""))));
    }
    return out;
  }

  private static boolean isFailure(String messageType) {
    return "exception".equals(messageType) || "error".equals(messageType);
  }

  /**
   * Bedrock's exception mid-stream (throttled, the model failed, ...) as the {@code error} event
   * Anthropic sends in that place, so the client's SDK raises it rather than taking the cut stream
   * for a finished answer.
   */
  private static Event error(String type, String message) {
    JsonNode json =
        OpenAiJson.MAPPER
            .createObjectNode()
            .put("type", "error")
            .set(
                "error",
                OpenAiJson.MAPPER.createObjectNode().put("type", type).put("message", message));
    String text = "event: error\ndata: " + json + "\n\n";
    return new Event(text.getBytes(StandardCharsets.UTF_8), json);
  }

  /** Anthropic's error type for a Bedrock exception type. */
  private static String errorType(String exceptionType) {
    if (exceptionType == null) {
      return "api_error";
    }
    return switch (exceptionType) {
      case "throttlingException" -> "rate_limit_error";
      case "serviceUnavailableException" -> "overloaded_error";
      case "validationException" -> "invalid_request_error";
      default -> "api_error";
    };
  }

  private static void unwrap(byte[] buffer, int offset, int length, List<Event> out) {
    JsonNode frame = parse(new String(buffer, offset, length, StandardCharsets.UTF_8));
    if (frame == null || !frame.path("bytes").isTextual()) {
      return;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(frame.get("bytes").asText());
    } catch (IllegalArgumentException e) {
      return;
    }
    String json = new String(decoded, StandardCharsets.UTF_8);
    JsonNode event = parse(json);
    if (event == null) {
      return;
    }
    String text = "event: " + event.path("type").asText("") + "\ndata: " + json + "\n\n";
    out.add(new Event(text.getBytes(StandardCharsets.UTF_8), event));
  }

  private static JsonNode parse(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      JsonNode node = OpenAiJson.MAPPER.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }
}
