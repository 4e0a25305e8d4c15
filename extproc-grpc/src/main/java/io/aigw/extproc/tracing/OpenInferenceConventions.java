package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.usage.TokenUsage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.Map;

/**
 * OpenInference's conventions, as upstream names its spans ({@code ChatCompletion}, {@code
 * CreateEmbeddings}, …) with the attributes of the model and its token counts: {@code llm.system}
 * is the shape of the client's API, {@code llm.provider} who serves the backend, embedding and
 * rerank spans name their model as OpenInference's embedding and reranker spans do. The {@code
 * input.*}, {@code output.*} and message attributes, which carry the prompt and the answer, are not
 * recorded: a prompt holds what its users put in it.
 */
final class OpenInferenceConventions implements SpanConventions {

  static final String SPAN_KIND = "openinference.span.kind";
  static final String SYSTEM = "llm.system";
  static final String PROVIDER = "llm.provider";
  static final String MODEL_NAME = "llm.model_name";
  static final String EMBEDDING_MODEL_NAME = "embedding.model_name";
  static final String RERANKER_MODEL_NAME = "reranker.model_name";
  static final String PROMPT_TOKENS = "llm.token_count.prompt";
  static final String COMPLETION_TOKENS = "llm.token_count.completion";
  static final String TOTAL_TOKENS = "llm.token_count.total";
  static final String CACHE_READ_TOKENS = "llm.token_count.prompt_details.cache_read";
  static final String CACHE_WRITE_TOKENS = "llm.token_count.prompt_details.cache_write";
  static final String REASONING_TOKENS = "llm.token_count.completion_details.reasoning";

  /** Upstream's span names, by the endpoints' operation names. */
  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("chat", "ChatCompletion"),
          Map.entry("completion", "Completion"),
          Map.entry("embeddings", "CreateEmbeddings"),
          Map.entry("image_generation", "ImagesResponse"),
          Map.entry("responses", "Responses"),
          Map.entry("responses_input_tokens", "ResponsesInputTokens"),
          Map.entry("speech", "AudioSpeech"),
          Map.entry("transcription", "Transcription"),
          Map.entry("translation", "Translation"),
          Map.entry("rerank", "Rerank"),
          Map.entry("messages", "Message"),
          Map.entry("tokenize", "Tokenize"),
          Map.entry("count_tokens", "CountTokens"));

  /** OpenInference's {@code llm.provider}, by the GenAI provider names. */
  private static final Map<String, String> PROVIDERS =
      Map.of(
          "openai", "openai",
          "azure.openai", "azure",
          "anthropic", "anthropic",
          "aws.anthropic", "aws",
          "aws.bedrock", "aws",
          "gcp.anthropic", "google",
          "gcp.vertex_ai", "google",
          "cohere", "cohere");

  @Override
  public String spanName(String operation, String model) {
    return NAMES.getOrDefault(operation, operation);
  }

  @Override
  public void started(SpanBuilder span, String operation, String model) {
    span.setAttribute(SPAN_KIND, kind(operation));
    if (!isEmbedding(operation)) {
      span.setAttribute(SYSTEM, system(operation));
    }
    if (!model.isEmpty()) {
      // the client's model, until the answer names the one that served it
      span.setAttribute(modelAttribute(operation), model);
    }
  }

  private static String kind(String operation) {
    return switch (operation) {
      case "embeddings" -> "EMBEDDING";
      case "rerank" -> "RERANKER";
      default -> "LLM";
    };
  }

  /** The shape of the client's API: Anthropic's Messages, Cohere's rerank, else OpenAI's. */
  private static String system(String operation) {
    return switch (operation) {
      case "messages", "count_tokens" -> "anthropic";
      case "rerank" -> "cohere";
      default -> "openai";
    };
  }

  private static boolean isEmbedding(String operation) {
    return operation.equals("embeddings");
  }

  private static String modelAttribute(String operation) {
    return switch (operation) {
      case "embeddings" -> EMBEDDING_MODEL_NAME;
      case "rerank" -> RERANKER_MODEL_NAME;
      default -> MODEL_NAME;
    };
  }

  @Override
  public void ended(Span span, ExchangeSummary s) {
    if (!isEmbedding(s.operation())) {
      ExchangeSpan.text(span, PROVIDER, PROVIDERS.getOrDefault(s.provider(), ""));
    }
    String model = s.responseModel().isEmpty() ? s.effectiveModel() : s.responseModel();
    ExchangeSpan.text(span, modelAttribute(s.operation()), ClientText.bounded(model));
    TokenUsage usage = s.usage();
    ExchangeSpan.count(span, PROMPT_TOKENS, usage.input());
    ExchangeSpan.count(span, COMPLETION_TOKENS, usage.output());
    ExchangeSpan.count(span, TOTAL_TOKENS, usage.total());
    ExchangeSpan.count(span, CACHE_READ_TOKENS, usage.cachedInput());
    ExchangeSpan.count(span, CACHE_WRITE_TOKENS, usage.cacheCreationInput());
    ExchangeSpan.count(span, REASONING_TOKENS, usage.reasoning());
  }

  /**
   * An {@code exception} event typed as upstream types a status (its message the status alone: an
   * error body may echo what the client sent).
   */
  @Override
  public void failed(Span span, int status) {
    span.addEvent(
        "exception",
        Attributes.builder()
            .put("exception.type", exceptionType(status))
            .put("exception.message", "Error code: " + status)
            .build());
  }

  static String exceptionType(int status) {
    return switch (status) {
      case 400 -> "BadRequestError";
      case 401 -> "AuthenticationError";
      case 403 -> "PermissionDeniedError";
      case 404 -> "NotFoundError";
      case 429 -> "RateLimitError";
      case 500, 502, 503 -> "InternalServerError";
      default -> "Error";
    };
  }
}
