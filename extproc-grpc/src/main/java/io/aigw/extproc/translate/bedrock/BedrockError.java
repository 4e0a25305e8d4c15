package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Bedrock error answer in OpenAI's shape: its {@code message} typed by the {@code
 * x-amzn-errortype} header, or the body as it came typed {@code AWSBedrockBackendError}. One per
 * request: it notes the answer's headers, collects its body and answers the whole at its end.
 */
final class BedrockError {

  private final BodyCollector collected = new BodyCollector();
  private String errorType;
  private boolean json;

  /** Notes the error type and whether the body is JSON, from the answer's headers. */
  void headers(Map<String, String> headers) {
    errorType = headers.get("x-amzn-errortype");
    json = headers.getOrDefault("content-type", "").contains("json");
  }

  /** One piece of the error body; the whole error is answered at its end. */
  ResponseChunk body(int status, byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    return ResponseChunk.replacedBy(toOpenAi(status, whole, errorType, json));
  }

  private static byte[] toOpenAi(int status, byte[] body, String errorType, boolean json) {
    String text = new String(body, StandardCharsets.UTF_8);
    String type = "AWSBedrockBackendError";
    String message = text;
    try {
      JsonNode parsed = OpenAiJson.MAPPER.readTree(body);
      if (parsed != null && parsed.isObject() && (json || parsed.has("message"))) {
        message = parsed.path("message").asText(parsed.path("Message").asText(text));
        type = errorType == null || errorType.isEmpty() ? type : errorType;
      }
    } catch (IOException e) {
      // not JSON: the raw text is the message
    }
    return ProviderError.openAi(type, status, message);
  }
}
