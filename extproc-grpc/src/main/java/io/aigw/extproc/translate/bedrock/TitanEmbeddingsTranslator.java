package io.aigw.extproc.translate.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.BodyCollector;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.EmbeddingList;
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
 * OpenAI embeddings → Amazon Titan on Bedrock ({@code InvokeModel}): one text per request ({@code
 * {"inputText","dimensions"?}}), answered as OpenAI's list with the usage Titan counts, in base64
 * when asked ({@link EmbeddingList}).
 */
public final class TitanEmbeddingsTranslator implements Translator {

  private final BodyCollector collected = new BodyCollector();
  private final BedrockError errors = new BedrockError();
  private String model = "";
  private EmbeddingList answer;
  private TokenUsage usage = TokenUsage.NONE;

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    ObjectNode embeddings = ChatRequests.tree(request);
    answer = new EmbeddingList(embeddings);
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    body.put("inputText", text(embeddings.get("input")));
    if (embeddings.path("dimensions").canConvertToInt()) {
      body.put("dimensions", embeddings.get("dimensions").asInt());
    }
    return new UpstreamRequest(
        BedrockPaths.invoke(model, false),
        Optional.of(body),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  /** Titan embeds one text: a string, or a list holding one. */
  private static String text(JsonNode input) throws InvalidRequestException {
    if (input != null && input.isTextual()) {
      return input.asText();
    }
    if (input != null && input.isArray() && input.size() == 1 && input.get(0).isTextual()) {
      return input.get(0).asText();
    }
    throw ChatRequests.unsupported(
        "Bedrock Titan embeds one text per request: input must be a string or a list of one string");
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    errors.headers(headers);
    return status < 200 || status >= 300
        ? List.of(new UpstreamRequest.Header("content-type", "application/json"))
        : List.of();
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    JsonNode titan;
    try {
      titan = OpenAiJson.MAPPER.readTree(whole);
    } catch (IOException e) {
      return ResponseChunk.unreadable("the provider's answer is not a Titan embedding");
    }
    if (titan == null || !titan.path("embedding").isArray()) {
      return ResponseChunk.unreadable("the provider's answer is not a Titan embedding");
    }
    answer.add(titan.get("embedding"), titan.path("inputTextTokenCount").asLong(0), false);
    usage = answer.usage();
    return ResponseChunk.replacedBy(answer.toBytes(model));
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
