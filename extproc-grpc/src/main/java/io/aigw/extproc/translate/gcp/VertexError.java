package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Vertex AI error in OpenAI's shape: Google's {@code {"error":{"code","message","status"}}} typed
 * by its status ({@code INVALID_ARGUMENT}), its details after the message; another body as it came,
 * typed {@code GCPVertexAIBackendError}. One per request: it collects the body and answers the
 * whole at its end.
 */
final class VertexError {

  private final BodyCollector collected = new BodyCollector();

  /** One piece of the error body; the whole error is answered at its end. */
  ResponseChunk body(int status, byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    return ResponseChunk.replacedBy(toOpenAi(status, whole));
  }

  private static byte[] toOpenAi(int status, byte[] body) {
    try {
      JsonNode error = OpenAiJson.MAPPER.readTree(body).path("error");
      if (error.isObject()) {
        String message = error.path("message").asText("");
        if (error.has("details")) {
          message = "Error: " + message + "\nDetails: " + error.get("details");
        }
        return ProviderError.openAi(
            error.path("status").asText("GCPVertexAIBackendError"), status, message);
      }
    } catch (IOException | RuntimeException e) {
      // not JSON
    }
    return ProviderError.openAi(
        "GCPVertexAIBackendError", status, new String(body, StandardCharsets.UTF_8));
  }
}
