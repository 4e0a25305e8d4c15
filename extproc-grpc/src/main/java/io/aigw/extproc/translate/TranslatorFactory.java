package io.aigw.extproc.translate;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.bedrock.ChatCompletionsToConverseTranslator;
import io.aigw.extproc.translate.openai.OpenAiToOpenAiTranslator;
import java.util.Optional;

/**
 * The seam where providers plug in: which translator serves an endpoint for a backend schema. Today
 * OpenAI-compatible backends are served; Bedrock, Azure OpenAI, Vertex and Anthropic add a case.
 */
public final class TranslatorFactory {

  private TranslatorFactory() {}

  /** A fresh translator for one request, or empty when the schema cannot serve the endpoint. */
  public static Optional<Translator> create(Endpoint endpoint, ApiSchema schema) {
    return switch (schema.name()) {
      case OpenAI -> Optional.of(new OpenAiToOpenAiTranslator(endpoint));
      case AWSBedrock ->
          endpoint == Endpoint.CHAT_COMPLETIONS
              ? Optional.of(new ChatCompletionsToConverseTranslator())
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** Whether {@link #create} would give a translator, for config-time checks. */
  public static boolean supports(Endpoint endpoint, ApiSchema schema) {
    return create(endpoint, schema).isPresent();
  }
}
