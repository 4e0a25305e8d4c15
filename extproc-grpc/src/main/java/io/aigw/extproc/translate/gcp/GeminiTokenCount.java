package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.TokenizeTranslator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Gemini's {@code :countTokens} on Vertex AI: the contents, system instruction and tools the chat
 * would be sent with, counted as {@code totalTokens}.
 */
public final class GeminiTokenCount implements TokenizeTranslator.TokenCount {

  private static final List<String> COUNTED = List.of("contents", "systemInstruction", "tools");

  @Override
  public UpstreamRequest request(ObjectNode chat, String model, RequestPlan plan)
      throws InvalidRequestException {
    ObjectNode generate = GeminiRequests.generateContent(chat, model, GuidedOutput.NONE);
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    for (String field : COUNTED) {
      if (generate.hasNonNull(field)) {
        body.set(field, generate.get(field));
      }
    }
    return new UpstreamRequest(
        GcpPaths.of(plan, "publishers/google/models/" + model + ":countTokens"),
        Optional.of(body),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  /** Vertex leaves a zero out of its JSON: an answer without {@code totalTokens} counted none. */
  @Override
  public OptionalLong count(byte[] answer) {
    OptionalLong count = TokenizeTranslator.countIn(answer, "totalTokens");
    if (count.isPresent()) {
      return count;
    }
    try {
      JsonNode tree = OpenAiJson.MAPPER.readTree(answer);
      return tree != null && tree.isObject() && !tree.has("error")
          ? OptionalLong.of(0)
          : OptionalLong.empty();
    } catch (java.io.IOException e) {
      return OptionalLong.empty();
    }
  }
}
