package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI embeddings → Vertex AI's text embedding models ({@code text-embedding-005}, {@code
 * gemini-embedding-001}, ...) through {@code :predict}: one instance per input text, {@code
 * dimensions} as {@code outputDimensionality}; the predictions come back as OpenAI's list, the
 * token counts Vertex gives each text summed as the usage, in base64 when asked ({@link
 * EmbeddingList}).
 */
public final class VertexEmbeddingsTranslator implements Translator {

  private final BodyCollector collected = new BodyCollector();
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
    ArrayNode instances = body.putArray("instances");
    for (String text : texts(embeddings.get("input"))) {
      instances.addObject().put("content", text);
    }
    if (embeddings.path("dimensions").canConvertToInt()) {
      body.putObject("parameters")
          .put("outputDimensionality", embeddings.get("dimensions").asInt());
    }
    return new UpstreamRequest(
        GcpPaths.of(plan, "publishers/google/models/" + model + ":predict"),
        Optional.of(body),
        List.of(new UpstreamRequest.Header("content-type", "application/json")));
  }

  /** Texts: a string or a list of strings; token arrays are OpenAI's own and Vertex takes none. */
  private static List<String> texts(JsonNode input) throws InvalidRequestException {
    if (input != null && input.isTextual()) {
      return List.of(input.asText());
    }
    if (input != null && input.isArray() && !input.isEmpty()) {
      List<String> texts = new ArrayList<>(input.size());
      for (JsonNode text : input) {
        if (!text.isTextual()) {
          break;
        }
        texts.add(text.asText());
      }
      if (texts.size() == input.size()) {
        return texts;
      }
    }
    throw ChatRequests.unsupported(
        "Vertex AI embeds texts: input must be a string or a list of strings");
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
    JsonNode predictions;
    try {
      predictions = OpenAiJson.MAPPER.readTree(whole).path("predictions");
    } catch (IOException e) {
      return ResponseChunk.unreadable("the provider's answer is not a Vertex AI prediction");
    }
    if (!predictions.isArray()) {
      return ResponseChunk.unreadable("the provider's answer is not a Vertex AI prediction");
    }
    for (JsonNode prediction : predictions) {
      JsonNode embeddings = prediction.path("embeddings");
      answer.add(
          embeddings.path("values"), embeddings.path("statistics").path("token_count").asLong(0));
    }
    usage = answer.usage();
    return ResponseChunk.replacedBy(answer.toBytes(model));
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    return ResponseChunk.replacedBy(VertexError.toOpenAi(status, whole));
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
