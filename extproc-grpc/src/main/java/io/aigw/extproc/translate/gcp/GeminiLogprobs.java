package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A candidate's {@code logprobsResult} as OpenAI's choice {@code logprobs}: token by token the
 * chosen token and the top alternatives, each with its UTF-8 {@code bytes}, which OpenAI's SDKs
 * require.
 */
final class GeminiLogprobs {

  private GeminiLogprobs() {}

  /** Empty when the candidate carries none (the request did not ask for them). */
  static Optional<ObjectNode> of(JsonNode candidate) {
    JsonNode result = candidate.path("logprobsResult");
    JsonNode chosen = result.path("chosenCandidates");
    if (!chosen.isArray() || chosen.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode out = OpenAiJson.MAPPER.createObjectNode();
    ArrayNode content = out.putArray("content");
    for (int i = 0; i < chosen.size(); i++) {
      ObjectNode token = token(content.addObject(), chosen.get(i));
      ArrayNode top = token.putArray("top_logprobs");
      for (JsonNode alternative : result.path("topCandidates").path(i).path("candidates")) {
        token(top.addObject(), alternative);
      }
    }
    return Optional.of(out);
  }

  private static ObjectNode token(ObjectNode out, JsonNode candidate) {
    String token = candidate.path("token").asText("");
    out.put("token", token);
    ArrayNode bytes = out.putArray("bytes");
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
    out.put("logprob", candidate.path("logProbability").asDouble(0));
    return out;
  }
}
