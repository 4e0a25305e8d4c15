package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ProviderError;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A provider's error on Anthropic's API, as Anthropic's SDKs read it: a JSON error passes through
 * (Anthropic's, Vertex's), a text one is wrapped in Anthropic's shape typed by its status, and with
 * {@code unwrapMessage} Bedrock's {@code {"message":…}} is wrapped too (an Anthropic error Bedrock
 * relays still passes through).
 */
final class AnthropicErrorBody {

  private final boolean unwrapMessage;
  private final BodyCollector collected = new BodyCollector();
  private boolean json;

  AnthropicErrorBody(boolean unwrapMessage) {
    this.unwrapMessage = unwrapMessage;
  }

  /** Notes the answer's content type; a text error's becomes JSON, as its body will be. */
  List<UpstreamRequest.Header> headers(int status, Map<String, String> headers) {
    json = headers.getOrDefault("content-type", "").contains("json");
    boolean error = status < 200 || status >= 300;
    return error && !json
        ? List.of(new UpstreamRequest.Header("content-type", "application/json"))
        : List.of();
  }

  /** One piece of the error body; the whole body is answered at its end. */
  ResponseChunk body(int status, byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    String text = new String(whole, StandardCharsets.UTF_8);
    if (json) {
      JsonNode error = parse(whole);
      boolean anthropic = error != null && error.path("error").path("type").isTextual();
      boolean bare = error != null && error.path("message").isTextual();
      if (anthropic || !unwrapMessage || !bare) {
        return whole == chunk ? ResponseChunk.unchanged() : ResponseChunk.replacedBy(whole);
      }
      text = error.get("message").asText();
    }
    return ResponseChunk.replacedBy(
        ProviderError.anthropic(ProviderError.anthropicType(status), text));
  }

  private static JsonNode parse(byte[] body) {
    try {
      return OpenAiJson.MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
