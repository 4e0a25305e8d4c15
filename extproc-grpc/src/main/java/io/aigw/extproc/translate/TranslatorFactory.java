package io.aigw.extproc.translate;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.anthropic.ChatCompletionsToAnthropicTranslator;
import io.aigw.extproc.translate.anthropic.ClaudeTokenCount;
import io.aigw.extproc.translate.anthropic.CountTokensTranslator;
import io.aigw.extproc.translate.anthropic.MessagesOverChatTranslator;
import io.aigw.extproc.translate.anthropic.MessagesTranslator;
import io.aigw.extproc.translate.azure.AzureOpenAiTranslator;
import io.aigw.extproc.translate.bedrock.ChatCompletionsToConverseTranslator;
import io.aigw.extproc.translate.bedrock.ConverseTokenCount;
import io.aigw.extproc.translate.bedrock.TitanEmbeddingsTranslator;
import io.aigw.extproc.translate.cohere.CohereRerankTranslator;
import io.aigw.extproc.translate.gcp.ChatCompletionsToGeminiTranslator;
import io.aigw.extproc.translate.gcp.GeminiTokenCount;
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
    if (endpoint == Endpoint.TOKENIZE) {
      return tokenize(schema);
    }
    if (openAiOnly(endpoint)) {
      return schema.name() == ApiSchema.Name.OpenAI
          ? Optional.of(new OpenAiToOpenAiTranslator(endpoint))
          : Optional.empty();
    }
    if (endpoint == Endpoint.COUNT_TOKENS) {
      return countTokens(schema);
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

  /** Anthropic's token count, for Claude wherever it runs. */
  private static Optional<Translator> countTokens(ApiSchema schema) {
    return switch (schema.name()) {
      case Anthropic, GCPAnthropic, AWSAnthropic, AWSBedrock ->
          Optional.of(new CountTokensTranslator(schema.name()));
      default -> Optional.empty();
    };
  }

  /**
   * vLLM's token count: passed through to an OpenAI-compatible server, counted by the providers
   * that count without a tokenizer.
   */
  private static Optional<Translator> tokenize(ApiSchema schema) {
    return switch (schema.name()) {
      case OpenAI -> Optional.of(new OpenAiToOpenAiTranslator(Endpoint.TOKENIZE));
      case GCPVertexAI ->
          Optional.of(
              new TokenizeTranslator(
                  new GeminiTokenCount(), new ChatCompletionsToGeminiTranslator()));
      case GCPAnthropic, AWSAnthropic ->
          Optional.of(
              new TokenizeTranslator(
                  new ClaudeTokenCount(schema.name()),
                  new ChatCompletionsToAnthropicTranslator(schema.name())));
      case AWSBedrock ->
          Optional.of(
              new TokenizeTranslator(
                  new ConverseTokenCount(), new ChatCompletionsToConverseTranslator()));
      default -> Optional.empty();
    };
  }

  /** OpenAI's own APIs (images, audio): served on OpenAI backends only. */
  private static boolean openAiOnly(Endpoint endpoint) {
    return endpoint == Endpoint.IMAGES_GENERATIONS
        || endpoint == Endpoint.AUDIO_SPEECH
        || endpoint.multipart();
  }

  /** Whether {@link #create} would give a translator, for config-time checks. */
  public static boolean supports(Endpoint endpoint, ApiSchema schema) {
    return create(endpoint, schema).isPresent();
  }
}
