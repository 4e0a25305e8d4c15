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
 * {@code unwrapMessage} (Bedrock) every error but an Anthropic one Bedrock relays is wrapped, its
 * {@code message} the message.
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
      if (anthropic || !unwrapMessage) {
        return whole == chunk ? ResponseChunk.unchanged() : ResponseChunk.replacedBy(whole);
      }
      // Bedrock's {"message":…} (or "Message"), else the body as it came, in Anthropic's shape
      for (String field : new String[] {"message", "Message"}) {
        if (error != null && error.path(field).isTextual()) {
          text = error.get(field).asText();
          break;
        }
      }
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
