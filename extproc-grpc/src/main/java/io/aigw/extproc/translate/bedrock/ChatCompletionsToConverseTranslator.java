package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI chat completions → AWS Bedrock Converse ({@code /model/{id}/converse}) and ConverseStream
 * ({@code /model/{id}/converse-stream}, the binary event stream re-emitted as OpenAI SSE ending
 * with {@code [DONE]}). Errors become the OpenAI error shape with Bedrock's {@code
 * x-amzn-errortype}.
 */
public final class ChatCompletionsToConverseTranslator implements Translator {

  private final BodyCollector collected = new BodyCollector();
  private final BedrockError errors = new BedrockError();
  private String model = "";
  private long created;

  /** The stream ends with a usage chunk only when the client asked, as OpenAI's does. */
  private boolean usageChunk;

  private boolean stream;
  private String requestId = "";
  private ConverseStreamTranslator streaming;
  private TokenUsage usage = TokenUsage.NONE;

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    created = plan.nowEpochSeconds();
    stream = request.stream();
    usageChunk = request.clientAskedForUsage();
    ObjectNode body = ConverseRequests.converse(ChatRequests.tree(request), model);
    String path =
        "/model/"
            + ConverseRequests.pathEscape(model)
            + (stream ? "/converse-stream" : "/converse");
    return new UpstreamRequest(
        path,
        Optional.of(body),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    requestId = headers.getOrDefault("x-amzn-requestid", "");
    errors.headers(headers);
    if (status == 200 && stream) {
      streaming = new ConverseStreamTranslator(requestId, created, model, usageChunk);
      return List.of(new UpstreamRequest.Header("content-type", "text/event-stream"));
    }
    if (status < 200 || status >= 300) {
      return List.of(new UpstreamRequest.Header("content-type", "application/json"));
    }
    return List.of();
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    if (streaming != null) {
      byte[] out = streaming.feed(chunk, endOfStream);
      usage = streaming.usage();
      return ResponseChunk.replacedBy(out);
    }
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    try {
      JsonNode converse = OpenAiJson.MAPPER.readTree(whole);
      ObjectNode completion = ConverseResponses.completion(converse, requestId, created, model);
      if (completion == null) {
        return ResponseChunk.unchanged();
      }
      usage = ConverseResponses.usageOf(converse.get("usage"));
      return ResponseChunk.replacedBy(OpenAiJson.MAPPER.writeValueAsBytes(completion));
    } catch (IOException | RuntimeException e) {
      return ResponseChunk.unreadable("the provider's answer is not a Bedrock Converse response");
    }
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
    return model.isEmpty() ? Optional.empty() : Optional.of(model);
  }
}
