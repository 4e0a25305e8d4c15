package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An OpenAI chat completion stream as Anthropic's Messages stream, chunk by chunk: {@code
 * message_start} at the first chunk; each run of reasoning, text or one tool call's arguments as a
 * content block ({@code thinking_delta}, {@code text_delta}, {@code input_json_delta}); and at the
 * end (the {@code [DONE]} marker, or the stream's end without one) the open block's stop, {@code
 * message_delta} with the stop reason and the usage, and {@code message_stop}.
 */
final class ChatStreamToMessages {

  private final String model;
  private boolean started;
  private boolean finished;
  private int index = -1;
  private String open = "";
  private int toolCall = -1;
  private String stopReason = "end_turn";
  private boolean sawChunk;
  private boolean calledTools;
  private JsonNode usage = OpenAiJson.MAPPER.createObjectNode();

  ChatStreamToMessages(String model) {
    this.model = model;
  }

  /** The events one chunk's JSON makes, as SSE bytes. */
  void chunk(JsonNode chunk, ByteArrayOutputStream out) {
    if (finished) {
      return;
    }
    sawChunk = true;
    if (chunk.path("error").isObject()) {
      // the backend failed mid-answer: an error event, which the SDKs raise, not a cut answer
      error(out, chunk.get("error").path("message").asText("the provider failed mid-answer"));
      return;
    }
    start(chunk, out);
    if (chunk.path("usage").isObject()) {
      usage = chunk.get("usage");
    }
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    String reasoning = ChatToMessages.reasoning(delta);
    if (!reasoning.isEmpty()) {
      block("thinking", out, b -> b.put("thinking", "").put("signature", ""));
      delta(out, "thinking_delta", "thinking", reasoning);
    }
    String text = delta.path("content").asText("");
    if (!text.isEmpty()) {
      block("text", out, b -> b.put("text", ""));
      delta(out, "text_delta", "text", text);
    }
    for (JsonNode call : delta.path("tool_calls")) {
      calledTools = true;
      int callIndex = call.path("index").asInt(toolCall < 0 ? 0 : toolCall);
      if (callIndex != toolCall || !"tool_use".equals(open)) {
        toolCall = callIndex;
        close(out);
        openBlock(
            "tool_use",
            out,
            b ->
                b.put("id", call.path("id").asText(""))
                    .put("name", call.path("function").path("name").asText(""))
                    .putObject("input"));
      }
      String arguments = call.path("function").path("arguments").asText("");
      if (!arguments.isEmpty()) {
        delta(out, "input_json_delta", "partial_json", arguments);
      }
    }
    String finish = choice.path("finish_reason").asText("");
    if (!finish.isEmpty()) {
      stopReason = ChatToMessages.stopReason(finish, calledTools);
    }
  }

  /** The closing events, once: at the {@code [DONE]} marker or the stream's end. */
  void finish(ByteArrayOutputStream out) {
    if (finished) {
      return;
    }
    if (!sawChunk) {
      error(out, "the provider's stream ended without an answer");
      return;
    }
    start(OpenAiJson.MAPPER.createObjectNode(), out);
    finished = true;
    close(out);
    ObjectNode messageDelta = OpenAiJson.MAPPER.createObjectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
    messageDelta.set("usage", ChatToMessages.usage(usage));
    event(out, "message_delta", messageDelta);
    event(out, "message_stop", OpenAiJson.MAPPER.createObjectNode().put("type", "message_stop"));
  }

  /** Anthropic's {@code error} event, after which the stream says nothing more. */
  private void error(ByteArrayOutputStream out, String message) {
    finished = true;
    ObjectNode error = OpenAiJson.MAPPER.createObjectNode().put("type", "error");
    error.putObject("error").put("type", "api_error").put("message", message);
    event(out, "error", error);
  }

  private void start(JsonNode chunk, ByteArrayOutputStream out) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode message = ChatToMessages.head(chunk, model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
    ObjectNode start = OpenAiJson.MAPPER.createObjectNode().put("type", "message_start");
    start.set("message", message);
    event(out, "message_start", start);
  }

  /** Makes sure a block of {@code type} is open, closing another. */
  private void block(String type, ByteArrayOutputStream out, Consumer<ObjectNode> fields) {
    if (!type.equals(open)) {
      close(out);
      openBlock(type, out, fields);
    }
  }

  private void openBlock(String type, ByteArrayOutputStream out, Consumer<ObjectNode> fields) {
    index++;
    open = type;
    ObjectNode event =
        OpenAiJson.MAPPER.createObjectNode().put("type", "content_block_start").put("index", index);
    ObjectNode block = event.putObject("content_block").put("type", type);
    fields.accept(block);
    event(out, "content_block_start", event);
  }

  private void close(ByteArrayOutputStream out) {
    if (!open.isEmpty()) {
      event(
          out,
          "content_block_stop",
          OpenAiJson.MAPPER
              .createObjectNode()
              .put("type", "content_block_stop")
              .put("index", index));
      open = "";
    }
  }

  private void delta(ByteArrayOutputStream out, String type, String field, String value) {
    ObjectNode event =
        OpenAiJson.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
    event.putObject("delta").put("type", type).put(field, value);
    event(out, "content_block_delta", event);
  }

  private static void event(ByteArrayOutputStream out, String type, JsonNode json) {
    out.writeBytes(
        ("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
  }
}
