package io.aigw.extproc.translate;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.anthropic.ChatCompletionsToAnthropicTranslator;
import io.aigw.extproc.translate.anthropic.CountTokensTranslator;
import io.aigw.extproc.translate.anthropic.MessagesOverChatTranslator;
import io.aigw.extproc.translate.anthropic.MessagesTranslator;
import io.aigw.extproc.translate.azure.AzureOpenAiTranslator;
import io.aigw.extproc.translate.bedrock.ChatCompletionsToConverseTranslator;
import io.aigw.extproc.translate.bedrock.TitanEmbeddingsTranslator;
import io.aigw.extproc.translate.cohere.CohereRerankTranslator;
import io.aigw.extproc.translate.gcp.ChatCompletionsToGeminiTranslator;
import io.aigw.extproc.translate.gcp.VertexEmbeddingsTranslator;
import io.aigw.extproc.translate.openai.OpenAiToOpenAiTranslator;
import java.util.Optional;

/** The seam where providers plug in: which translator serves an endpoint for a backend schema. */
public final class TranslatorFactory {

  private TranslatorFactory() {}

  /** A fresh translator for one request, or empty when the schema cannot serve the endpoint. */
  public static Optional<Translator> create(Endpoint endpoint, ApiSchema schema) {
    if (endpoint == Endpoint.RERANK) {
      return schema.name() == ApiSchema.Name.Cohere
          ? Optional.of(new CohereRerankTranslator())
          : Optional.empty();
    }
    if (openAiOnly(endpoint)) {
      return schema.name() == ApiSchema.Name.OpenAI
          ? Optional.of(new OpenAiToOpenAiTranslator(endpoint))
          : Optional.empty();
    }
    if (endpoint == Endpoint.COUNT_TOKENS) {
      return switch (schema.name()) {
        case Anthropic, GCPAnthropic, AWSAnthropic, AWSBedrock ->
            Optional.of(new CountTokensTranslator(schema.name()));
        default -> Optional.empty();
      };
    }
    if (endpoint == Endpoint.MESSAGES) {
      return switch (schema.name()) {
        case Anthropic, GCPAnthropic, AWSAnthropic ->
            Optional.of(new MessagesTranslator(schema.name()));
        // an OpenAI-compatible server (vLLM, OpenAI), or Bedrock's Converse, answers Claude Code
        // through their chat completions translator
        case OpenAI ->
            Optional.of(
                new MessagesOverChatTranslator(
                    new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS), false));
        case AWSBedrock ->
            Optional.of(
                new MessagesOverChatTranslator(new ChatCompletionsToConverseTranslator(), true));
        default -> Optional.empty();
      };
    }
    boolean chat = endpoint == Endpoint.CHAT_COMPLETIONS;
    return switch (schema.name()) {
      case OpenAI -> Optional.of(new OpenAiToOpenAiTranslator(endpoint));
      case AzureOpenAI ->
          endpoint == Endpoint.COMPLETIONS
              ? Optional.empty()
              : Optional.of(new AzureOpenAiTranslator(endpoint));
      case AWSBedrock ->
          chat
              ? Optional.of(new ChatCompletionsToConverseTranslator())
              : endpoint == Endpoint.EMBEDDINGS
                  ? Optional.of(new TitanEmbeddingsTranslator())
                  : Optional.empty();
      case GCPVertexAI ->
          chat
              ? Optional.of(new ChatCompletionsToGeminiTranslator())
              : endpoint == Endpoint.EMBEDDINGS
                  ? Optional.of(new VertexEmbeddingsTranslator())
                  : Optional.empty();
      case Anthropic, GCPAnthropic, AWSAnthropic ->
          chat
              ? Optional.of(new ChatCompletionsToAnthropicTranslator(schema.name()))
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** OpenAI's own APIs (images, audio) and vLLM's tokenize: served on OpenAI backends only. */
  private static boolean openAiOnly(Endpoint endpoint) {
    return endpoint == Endpoint.IMAGES_GENERATIONS
        || endpoint == Endpoint.AUDIO_SPEECH
        || endpoint == Endpoint.TOKENIZE
        || endpoint.multipart();
  }

  /** Whether {@link #create} would give a translator, for config-time checks. */
  public static boolean supports(Endpoint endpoint, ApiSchema schema) {
    return create(endpoint, schema).isPresent();
  }
}
