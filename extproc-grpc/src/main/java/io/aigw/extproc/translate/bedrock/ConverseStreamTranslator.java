package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.aigw.extproc.translate.ChunkWriter;
import io.aigw.extproc.translate.JsonText;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.io.IOException;

/**
 * Bedrock ConverseStream events → OpenAI chat completion chunks. Each event's JSON payload is read
 * with a streaming parser (the {@code p} padding skipped), and each chunk written as text: this is
 * the hot path of a streamed Bedrock response.
 */
final class ConverseStreamTranslator implements EventStreamDecoder.Listener {

  private final EventStreamDecoder decoder = new EventStreamDecoder();
  private final ChunkWriter writer = new ChunkWriter();
  private TokenUsage usage = TokenUsage.NONE;
  private int toolIndex;
  private boolean inTool;
  private boolean errored;

  // one event's fields, reset per event
  private String text;
  private String toolId;
  private String toolName;
  private String toolInput;
  private String reasoningText;

  /** The reasoning of the block in flight, sent whole with its signature. */
  private final StringBuilder reasoning = new StringBuilder();

  private final boolean usageChunk;
  private String signature;
  private String redacted;
  private String stopReason;

  ConverseStreamTranslator(String requestId, long created, String model, boolean usageChunk) {
    this.usageChunk = usageChunk;
    writer.envelope(requestId, created, model);
  }

  /** OpenAI SSE bytes for one piece of the event stream. */
  byte[] feed(byte[] chunk, boolean end) {
    decoder.feed(chunk, this);
    if (decoder.corrupt() && !errored) {
      errored = true;
      writer.error("AWSBedrockBackendError", "the provider's event stream is damaged");
    }
    if (end) {
      writer.done();
    }
    return writer.take();
  }

  TokenUsage usage() {
    return usage;
  }

  @Override
  public void message(
      String eventType,
      String messageType,
      String exceptionType,
      byte[] buffer,
      int offset,
      int length) {
    if (eventType == null) {
      if ("exception".equals(messageType) || "error".equals(messageType)) {
        writer.error(
            exceptionType == null ? "AWSBedrockBackendError" : exceptionType,
            EventStreamDecoder.exceptionMessage(buffer, offset, length));
      }
      return;
    }
    try {
      readPayload(buffer, offset, length);
    } catch (IOException | RuntimeException e) {
      return; // an unreadable event is skipped, as upstream does
    }
    switch (eventType) {
      case "messageStart" -> writer.choice().append("\"content\":\"\",\"role\":\"assistant\"");
      case "contentBlockStart" -> blockStart();
      case "contentBlockDelta" -> blockDelta();
      case "contentBlockStop" -> blockStop();
      case "messageStop" -> {
        writer.choice().append("\"content\":\"\",\"role\":\"assistant\"");
        writer.end(ConverseResponses.finishReason(stopReason));
        return;
      }
      case "metadata" -> {
        if (usageChunk) {
          writer.usage(ConverseResponses.usageJson(usage));
        }
        return;
      }
      default -> {
        return;
      }
    }
    if (eventType.equals("messageStart")) {
      writer.end(null);
    }
  }

  private void blockStart() {
    if (toolId == null && toolName == null) {
      return; // a text or reasoning block start has nothing to say in OpenAI's shape
    }
    inTool = true;
    StringBuilder out =
        writer.choice().append("\"role\":\"assistant\",\"tool_calls\":[{\"index\":");
    out.append(toolIndex).append(",\"id\":");
    JsonText.quote(out, toolId);
    out.append(",\"type\":\"function\",\"function\":{\"name\":");
    JsonText.quote(out, toolName);
    out.append(",\"arguments\":\"\"}}]");
    writer.end(null);
  }

  private void blockDelta() {
    if (text != null) {
      StringBuilder out = writer.choice().append("\"content\":");
      JsonText.quote(out, text).append(",\"role\":\"assistant\"");
      writer.end(null);
    } else if (toolInput != null) {
      StringBuilder out =
          writer.choice().append("\"role\":\"assistant\",\"tool_calls\":[{\"index\":");
      out.append(toolIndex).append(",\"type\":\"function\",\"function\":{\"arguments\":");
      JsonText.quote(out, toolInput).append("}}]");
      writer.end(null);
    } else if (reasoningText != null || signature != null || redacted != null) {
      StringBuilder out = writer.choice().append("\"role\":\"assistant\"");
      if (reasoningText != null) {
        reasoning.append(reasoningText);
        JsonText.quote(out.append(",\"reasoning_content\":"), reasoningText);
      }
      if (signature != null) {
        // the signature closes the block: the client gets it whole, to send back as is
        JsonText.quote(
            out.append(",\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":"),
            reasoning.toString());
        JsonText.quote(out.append(",\"signature\":"), signature);
        out.append("}]");
        reasoning.setLength(0);
      } else if (redacted != null) {
        JsonText.quote(
            out.append(",\"thinking_blocks\":[{\"type\":\"redacted_thinking\",\"data\":"),
            redacted);
        out.append("}]");
      }
      writer.end(null);
    }
  }

  private void blockStop() {
    if (inTool) {
      inTool = false;
      toolIndex++;
    }
  }

  private void readPayload(byte[] buffer, int offset, int length) throws IOException {
    text = null;
    toolId = null;
    toolName = null;
    toolInput = null;
    reasoningText = null;
    signature = null;
    redacted = null;
    stopReason = null;
    try (JsonParser p = OpenAiJson.FACTORY.createParser(buffer, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "delta" -> readDelta(p, value);
          case "start" -> readStart(p, value);
          case "stopReason" -> stopReason = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "usage" -> readUsage(p, value);
          default -> p.skipChildren();
        }
      }
    }
  }

  private void readDelta(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken inner = p.nextToken();
      switch (field) {
        case "text" -> text = p.getText();
        case "toolUse" -> toolInput = stringField(p, inner, "input");
        case "reasoningContent" -> readReasoning(p, inner);
        default -> p.skipChildren();
      }
    }
  }

  private void readReasoning(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "text" -> reasoningText = p.getText();
        case "signature" -> signature = p.getText();
        case "redactedContent" -> redacted = p.getText();
        default -> p.skipChildren();
      }
    }
  }

  private void readStart(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken inner = p.nextToken();
      if (!field.equals("toolUse") || inner != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "name" -> toolName = p.getText();
          case "toolUseId" -> toolId = p.getText();
          default -> p.skipChildren();
        }
      }
    }
  }

  private static String stringField(JsonParser p, JsonToken value, String name) throws IOException {
    String found = null;
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals(name)) {
        found = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  private void readUsage(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    long input = 0;
    long output = 0;
    Long cacheRead = null;
    Long cacheWrite = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "inputTokens" -> input = p.getValueAsLong();
        case "outputTokens" -> output = p.getValueAsLong();
        case "cacheReadInputTokens" -> cacheRead = p.getValueAsLong();
        case "cacheWriteInputTokens" -> cacheWrite = p.getValueAsLong();
        default -> p.skipChildren();
      }
    }
    usage = usage.overriddenBy(ConverseResponses.tokenUsage(input, output, cacheRead, cacheWrite));
  }
}
