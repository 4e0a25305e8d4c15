package io.aigw.extproc.translate.bedrock;

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
 * Bedrock's {@code CountTokens} in its Converse form: the messages, system prompt and tools the
 * chat would be sent to Converse with, counted as {@code inputTokens}.
 */
public final class ConverseTokenCount implements TokenizeTranslator.TokenCount {

  private static final List<String> COUNTED = List.of("messages", "system", "toolConfig");

  @Override
  public UpstreamRequest request(ObjectNode chat, String model, RequestPlan plan)
      throws InvalidRequestException {
    ObjectNode converse = ConverseRequests.converse(chat, model);
    ObjectNode counted = OpenAiJson.MAPPER.createObjectNode();
    for (String field : COUNTED) {
      if (converse.hasNonNull(field)) {
        counted.set(field, converse.get(field));
      }
    }
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    body.putObject("input").set("converse", counted);
    return new UpstreamRequest(BedrockPaths.countTokens(model), Optional.of(body), List.of());
  }

  @Override
  public OptionalLong count(byte[] answer) {
    return TokenizeTranslator.countIn(answer, "inputTokens");
  }
}
