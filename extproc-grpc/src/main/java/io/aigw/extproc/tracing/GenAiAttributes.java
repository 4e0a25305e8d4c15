package io.aigw.extproc.tracing;

import java.util.Map;

/**
 * The span attribute names, from the OpenTelemetry GenAI semantic conventions where they have one,
 * and the operation names those conventions use for each endpoint.
 */
final class GenAiAttributes {

  static final String OPERATION = "gen_ai.operation.name";
  static final String PROVIDER = "gen_ai.provider.name";
  static final String ORIGINAL_MODEL = "gen_ai.original.model";
  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  static final String CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  static final String CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  static final String REASONING_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  static final String STREAM = "gen_ai.request.stream";
  static final String TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
  static final String HTTP_STATUS = "http.response.status_code";
  static final String ERROR_TYPE = "error.type";
  static final String ROUTE = "aigw.route";
  static final String BACKEND = "aigw.backend";

  /** The conventions' names where they differ from the metrics' operation names. */
  private static final Map<String, String> OPERATIONS =
      Map.of("completion", "text_completion", "responses", "chat", "messages", "chat");

  private GenAiAttributes() {}

  /**
   * The conventions' name of {@code operation}, a name of {@link
   * io.aigw.extproc.translate.Endpoint}'s.
   */
  static String operation(String operation) {
    return OPERATIONS.getOrDefault(operation, operation);
  }
}
