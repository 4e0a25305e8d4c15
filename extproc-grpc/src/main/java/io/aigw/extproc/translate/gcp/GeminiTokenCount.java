package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.TokenizeTranslator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.util.List;
import java.util.Optional;

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
      if (generate.has(field)) {
        body.set(field, generate.get(field));
      }
    }
    return new UpstreamRequest(
        GcpPaths.of(plan, "publishers/google/models/" + model + ":countTokens"),
        Optional.of(body),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  @Override
  public String countField() {
    return "totalTokens";
  }
}
