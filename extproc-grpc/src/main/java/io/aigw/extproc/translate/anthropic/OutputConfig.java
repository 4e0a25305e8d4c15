package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Claude's {@code output_config}: the JSON schema an answer must follow ({@code response_format}
 * {@code json_schema}) and the reasoning effort. Only some model families take them, and a field
 * another model would refuse is left out rather than sent, as upstream does; the model that decides
 * is the one the backend sees (the override, when set).
 */
final class OutputConfig {

  private static final List<String> SCHEMA_ON_BEDROCK =
      List.of("opus-4-5", "sonnet-4-5", "haiku-4-5", "opus-4-6", "sonnet-4-6");

  /** Vertex takes the Bedrock families and the newer ones. */
  private static final List<String> SCHEMA_ELSEWHERE =
      Stream.concat(
              SCHEMA_ON_BEDROCK.stream(),
              Stream.of(
                  "opus-4-7", "opus-4-8", "sonnet-5", "fable-5", "mythos-5", "mythos-preview"))
          .toList();

  private static final List<String> EFFORT_MODELS =
      List.of(
          "opus-4-5",
          "opus-4-6",
          "opus-4-7",
          "opus-4-8",
          "sonnet-4-6",
          "sonnet-5",
          "fable-5",
          "mythos-");
  private static final Set<String> EFFORTS = Set.of("low", "medium", "high", "xhigh", "max");

  private OutputConfig() {}

  /**
   * Adds {@code output_config} to {@code body} when the request asks for what the model takes, on
   * Vertex and Bedrock (the native API is left as it was: the reference covers those two).
   */
  static void apply(JsonNode chat, String model, ApiSchema.Name schema, ObjectNode body)
      throws InvalidRequestException {
    if (schema != ApiSchema.Name.GCPAnthropic && schema != ApiSchema.Name.AWSAnthropic) {
      return;
    }
    ObjectNode config = body.objectNode();
    JsonNode format = chat.path("response_format");
    if ("json_schema".equals(format.path("type").asText(""))
        && format.path("json_schema").path("schema").isObject()
        && takes(
            model, schema == ApiSchema.Name.AWSAnthropic ? SCHEMA_ON_BEDROCK : SCHEMA_ELSEWHERE)) {
      config
          .putObject("format")
          .put("type", "json_schema")
          .set("schema", format.path("json_schema").path("schema"));
    }
    JsonNode effort = chat.get("reasoning_effort");
    if (effort != null && effort.isTextual() && takes(model, EFFORT_MODELS)) {
      claudeEffort(effort.asText()).ifPresent(e -> config.put("effort", e));
    }
    if (!config.isEmpty()) {
      body.set("output_config", config);
    }
  }

  /**
   * Claude's effort for an OpenAI one: OpenAI's minimal is Claude's low, and none leaves the
   * model's default (Claude has no effort below low); a value neither knows is refused.
   */
  private static Optional<String> claudeEffort(String effort) throws InvalidRequestException {
    if (EFFORTS.contains(effort)) {
      return Optional.of(effort);
    }
    return switch (effort) {
      case "minimal" -> Optional.of("low");
      case "none" -> Optional.empty();
      default ->
          throw ChatRequests.unsupported(
              "reasoning_effort "
                  + effort
                  + " is not supported by Claude (none, minimal, low, medium, high, xhigh or max)");
    };
  }

  private static boolean takes(String model, List<String> families) {
    for (String family : families) {
      if (model.contains(family)) {
        return true;
      }
    }
    return false;
  }
}
