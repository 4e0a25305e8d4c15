package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.usage.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.Map;

/**
 * OpenInference's conventions, as upstream names its spans ({@code ChatCompletion}, {@code
 * CreateEmbeddings}, …) with the {@code llm.*} attributes of the model and its token counts. The
 * {@code input.*}, {@code output.*} and message attributes, which carry the prompt and the answer,
 * are not recorded: a prompt holds what its users put in it.
 */
final class OpenInferenceConventions implements SpanConventions {

  static final String SPAN_KIND = "openinference.span.kind";
  static final String SYSTEM = "llm.system";
  static final String PROVIDER = "llm.provider";
  static final String MODEL_NAME = "llm.model_name";
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

  /** OpenInference's {@code llm.system} and {@code llm.provider}, by the GenAI provider names. */
  private static final Map<String, String[]> PROVIDERS =
      Map.of(
          "openai", new String[] {"openai", "openai"},
          "azure.openai", new String[] {"openai", "azure"},
          "anthropic", new String[] {"anthropic", "anthropic"},
          "aws.anthropic", new String[] {"anthropic", "aws"},
          "aws.bedrock", new String[] {"", "aws"},
          "gcp.anthropic", new String[] {"anthropic", "google"},
          "gcp.vertex_ai", new String[] {"vertexai", "google"},
          "cohere", new String[] {"cohere", "cohere"});

  @Override
  public String spanName(String operation, String model) {
    return NAMES.getOrDefault(operation, operation);
  }

  @Override
  public void started(SpanBuilder span, String operation, String model) {
    span.setAttribute(SPAN_KIND, kind(operation));
  }

  private static String kind(String operation) {
    return switch (operation) {
      case "embeddings" -> "EMBEDDING";
      case "rerank" -> "RERANKER";
      default -> "LLM";
    };
  }

  @Override
  public void ended(Span span, ExchangeSummary s) {
    String[] provider = PROVIDERS.get(s.provider());
    if (provider != null) {
      ExchangeSpan.text(span, SYSTEM, provider[0]);
      ExchangeSpan.text(span, PROVIDER, provider[1]);
    }
    String model = s.responseModel().isEmpty() ? s.effectiveModel() : s.responseModel();
    ExchangeSpan.text(span, MODEL_NAME, ClientText.bounded(model));
    TokenUsage usage = s.usage();
    ExchangeSpan.count(span, PROMPT_TOKENS, usage.input());
    ExchangeSpan.count(span, COMPLETION_TOKENS, usage.output());
    ExchangeSpan.count(span, TOTAL_TOKENS, usage.total());
    ExchangeSpan.count(span, CACHE_READ_TOKENS, usage.cachedInput());
    ExchangeSpan.count(span, CACHE_WRITE_TOKENS, usage.cacheCreationInput());
    ExchangeSpan.count(span, REASONING_TOKENS, usage.reasoning());
  }
}
