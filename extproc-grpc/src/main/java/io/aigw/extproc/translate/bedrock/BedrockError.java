package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Bedrock error in OpenAI's shape: its {@code message} typed by the {@code x-amzn-errortype}
 * header, or the body as it came typed {@code AWSBedrockBackendError}.
 */
final class BedrockError {

  private BedrockError() {}

  static byte[] toOpenAi(int status, byte[] body, String errorType, boolean json) {
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
