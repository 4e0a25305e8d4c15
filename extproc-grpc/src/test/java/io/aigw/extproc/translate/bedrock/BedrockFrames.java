package io.aigw.extproc.translate.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** Bedrock event-stream bodies built with the AWS SDK's own encoder. */
final class BedrockFrames {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  BedrockFrames event(String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return add(new Message(headers, json.getBytes(StandardCharsets.UTF_8)));
  }

  BedrockFrames exception(String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    headers.put("x-extra", HeaderValue.fromInteger(7));
    return add(new Message(headers, json.getBytes(StandardCharsets.UTF_8)));
  }

  private BedrockFrames add(Message message) {
    ByteBuffer buffer = message.toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    out.writeBytes(bytes);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** The stream of the data-plane reference example: text, then a tool call, then usage. */
  static byte[] toolStream() {
    return new BedrockFrames()
        .event("messageStart", "{\"role\":\"assistant\",\"p\":\"abcdefgh\"}")
        .event(
            "contentBlockDelta",
            "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Don\"},\"p\":\"ab\"}")
        .event("contentBlockStop", "{\"contentBlockIndex\":0}")
        .event(
            "contentBlockStart",
            "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"name\":\"cosine\",\"toolUseId\":\"tooluse_Q\"}}}")
        .event(
            "contentBlockDelta",
            "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"x\\\":"
                + " \\\"17\\\"}\"}}}")
        .event("contentBlockStop", "{\"contentBlockIndex\":1}")
        .event("messageStop", "{\"stopReason\":\"tool_use\"}")
        .event(
            "metadata",
            "{\"usage\":{\"inputTokens\":41,\"outputTokens\":36,\"totalTokens\":77,"
                + "\"cacheReadInputTokens\":4},\"metrics\":{\"latencyMs\":100}}")
        .bytes();
  }
}
