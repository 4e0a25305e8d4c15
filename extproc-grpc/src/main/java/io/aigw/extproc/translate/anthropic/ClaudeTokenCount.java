package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.TokenizeTranslator;
import io.aigw.extproc.translate.UpstreamRequest;

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

  @Override
  public UpstreamRequest request(ObjectNode chat, String model, RequestPlan plan)
      throws InvalidRequestException {
    return CountTokensTranslator.onCloud(schema, AnthropicRequests.messages(chat), model, plan);
  }

  @Override
  public String countField() {
    return schema == ApiSchema.Name.GCPAnthropic ? "input_tokens" : "inputTokens";
  }
}
