package io.aigw.extproc.translate.gcp;

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
 * OpenAI embeddings → Vertex AI: text embedding models ({@code text-embedding-005}, {@code
 * gemini-embedding-001}, ...) through {@code :predict}, one instance per input text; Gemini's later
 * embedding models through {@code :embedContent}, one content per request ({@link
 * VertexEmbeddingRequests}). The vectors come back as OpenAI's list, the token counts Vertex gives
 * summed as the usage, in base64 when asked ({@link EmbeddingList}).
 */
public final class VertexEmbeddingsTranslator implements Translator {

  private final BodyCollector collected = new BodyCollector();
  private final VertexError errors = new VertexError();
  private String model = "";
  private boolean embedContent;
  private EmbeddingList answer;
  private TokenUsage usage = TokenUsage.NONE;

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    model = plan.effectiveModel(request);
    ObjectNode embeddings = ChatRequests.tree(request);
    answer = new EmbeddingList(embeddings);
    embedContent = VertexEmbeddingRequests.usesEmbedContent(model);
    if (!embedContent && embeddings.has("messages")) {
      throw ChatRequests.unsupported(
          model + " embeds texts only: messages are for Gemini's multimodal embedding models");
    }
    ObjectNode body =
        embedContent
            ? VertexEmbeddingRequests.embedContent(embeddings, model)
            : VertexEmbeddingRequests.predict(embeddings);
    String method = embedContent ? ":embedContent" : ":predict";
    return new UpstreamRequest(
        GcpPaths.of(plan, "publishers/google/models/" + model + method),
        Optional.of(body),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
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
    JsonNode answered;
    try {
      answered = OpenAiJson.MAPPER.readTree(whole);
    } catch (IOException e) {
      return ResponseChunk.unreadable("the provider's answer is not a Vertex AI embedding");
    }
    if (embedContent && answered.path("embedding").path("values").isArray()) {
      answer.add(
          answered.get("embedding").get("values"),
          answered.path("usageMetadata").path("promptTokenCount").asLong(0),
          answered.path("truncated").asBoolean(false));
    } else if (!embedContent && answered.path("predictions").isArray()) {
      for (JsonNode prediction : answered.get("predictions")) {
        JsonNode embeddings = prediction.path("embeddings");
        JsonNode statistics = embeddings.path("statistics");
        answer.add(
            embeddings.path("values"),
            statistics.path("token_count").asLong(0),
            statistics.path("truncated").asBoolean(false));
      }
    } else {
      return ResponseChunk.unreadable("the provider's answer is not a Vertex AI embedding");
    }
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
