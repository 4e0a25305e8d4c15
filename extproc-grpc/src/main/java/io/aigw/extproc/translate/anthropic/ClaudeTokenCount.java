package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.TokenizeTranslator;
import io.aigw.extproc.translate.UpstreamRequest;
import java.util.List;
import java.util.OptionalLong;

/**
 * Claude's token count on Vertex AI or Bedrock: the Messages request the chat would be sent as,
 * counted as the Messages API's token count is ({@link CountTokensTranslator#onCloud}).
 */
public final class ClaudeTokenCount implements TokenizeTranslator.TokenCount {

  private final ApiSchema.Name schema;

  /** For {@code GCPAnthropic} or {@code AWSAnthropic}. */
  public ClaudeTokenCount(ApiSchema.Name schema) {
    this.schema = schema;
  }

  /**
   * What a Messages request sets for its answer, which Anthropic's token count refuses as extra
   * inputs; Bedrock's InvokeModel form keeps them, being a whole Messages request.
   */
  private static final List<String> ANSWER_SETTINGS =
      List.of(
          "max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "metadata", "stream");

  @Override
  public UpstreamRequest request(ObjectNode chat, String model, RequestPlan plan)
      throws InvalidRequestException {
    ObjectNode messages = AnthropicRequests.messages(chat);
    if (schema == ApiSchema.Name.GCPAnthropic) {
      messages.remove(ANSWER_SETTINGS);
    }
    return CountTokensTranslator.onCloud(schema, messages, model, plan);
  }

  @Override
  public OptionalLong count(byte[] answer) {
    return TokenizeTranslator.countIn(
        answer, schema == ApiSchema.Name.GCPAnthropic ? "input_tokens" : "inputTokens");
  }
}
