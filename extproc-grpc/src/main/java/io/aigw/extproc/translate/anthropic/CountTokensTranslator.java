package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.TokenizeTranslator;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.bedrock.BedrockPaths;
import io.aigw.extproc.translate.gcp.GcpPaths;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Anthropic's token counting ({@code /anthropic/v1/messages/count_tokens}), which Claude Code and
 * the Anthropic SDKs call before they send a long conversation: to Anthropic itself (passed
 * through), to Claude on Vertex AI ({@code count-tokens:rawPredict}, the model in the body) and to
 * Claude on Bedrock ({@code CountTokens}, the Messages request base64-encoded in {@code
 * input.invokeModel.body}; its {@code {"inputTokens":n}} answered as Anthropic's {@code
 * {"input_tokens":n}}). The count is the request's input usage. Errors are Anthropic-shaped.
 */
public final class CountTokensTranslator implements Translator {

  private final ApiSchema.Name schema;
  private final BodyCollector collected = new BodyCollector();
  private final AnthropicErrorBody errors;
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();

  public CountTokensTranslator(ApiSchema.Name schema) {
    this.schema = schema;
    // Bedrock's {"message":…} is no error the Anthropic SDK reads
    this.errors = new AnthropicErrorBody(isBedrock(schema));
  }

  private static boolean isBedrock(ApiSchema.Name schema) {
    return schema == ApiSchema.Name.AWSAnthropic || schema == ApiSchema.Name.AWSBedrock;
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    String model = plan.effectiveModel(request);
    responseModel = Optional.of(model);
    return schema == ApiSchema.Name.Anthropic
        ? NativeAnthropic.request(request, plan, "messages/count_tokens")
        : onCloud(schema, ChatRequests.tree(request), model, plan);
  }

  /**
   * The count of the Messages request {@code messages} for Claude on Vertex AI or Bedrock, whose
   * answer is {@code input_tokens} (Vertex) or {@code inputTokens} (Bedrock).
   */
  static UpstreamRequest onCloud(
      ApiSchema.Name schema, ObjectNode messages, String model, RequestPlan plan) {
    String version = plan.schema().version();
    if (schema == ApiSchema.Name.GCPAnthropic) {
      messages.put("model", model);
      messages.put("anthropic_version", orDefault(version, "vertex-2023-10-16"));
      return new UpstreamRequest(
          GcpPaths.of(plan, "publishers/anthropic/models/count-tokens:rawPredict"),
          Optional.of(messages),
          List.of());
    }
    messages.remove("model");
    messages.remove("stream");
    messages.put("anthropic_version", orDefault(version, "bedrock-2023-05-31"));
    if (!messages.has("max_tokens")) {
      // InvokeModel's body must be a whole Messages request; a count needs no output
      messages.put("max_tokens", 1);
    }
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    body.putObject("input")
        .putObject("invokeModel")
        .put(
            "body",
            Base64.getEncoder()
                .encodeToString(messages.toString().getBytes(StandardCharsets.UTF_8)));
    return new UpstreamRequest(BedrockPaths.countTokens(model), Optional.of(body), List.of());
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    return errors.headers(status, headers);
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    boolean bedrock = isBedrock(schema);
    OptionalLong count =
        TokenizeTranslator.countIn(whole, bedrock ? "inputTokens" : "input_tokens");
    if (count.isEmpty()) {
      return ResponseChunk.unreadable("the provider's answer is not a token count");
    }
    usage = TokenUsage.counted(count.getAsLong());
    if (bedrock) {
      ObjectNode anthropic =
          OpenAiJson.MAPPER.createObjectNode().put("input_tokens", count.getAsLong());
      return ResponseChunk.replacedBy(anthropic.toString().getBytes(StandardCharsets.UTF_8));
    }
    return whole == chunk ? ResponseChunk.unchanged() : ResponseChunk.replacedBy(whole);
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    return errors.body(status, chunk, endOfStream);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public Optional<String> responseModel() {
    return responseModel;
  }
}
