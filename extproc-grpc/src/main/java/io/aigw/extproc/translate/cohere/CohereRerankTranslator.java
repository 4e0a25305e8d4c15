package io.aigw.extproc.translate.cohere;

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
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Cohere's rerank API, passed through as upstream does: {@code /cohere/v2/rerank} goes to {@code
 * /<version>/rerank} of the backend ({@code v2} unless the schema names another), the body is
 * rewritten only for a model override, and the answer passes through while its token usage is read
 * from {@code meta.tokens} ({@code input_tokens}, {@code output_tokens}).
 */
public final class CohereRerankTranslator implements Translator {

  private final BodyCollector body = new BodyCollector();
  private TokenUsage usage = TokenUsage.NONE;

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    String version = plan.schema().version();
    String path = "/" + (version == null || version.isEmpty() ? "v2" : version) + "/rerank";
    Optional<ObjectNode> rewritten = Optional.empty();
    if (plan.modelOverride().isPresent()) {
      ObjectNode tree = ChatRequests.tree(request);
      tree.put("model", plan.modelOverride().get());
      rewritten = Optional.of(tree);
    }
    return new UpstreamRequest(path, rewritten, List.of());
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    byte[] whole = body.add(chunk, endOfStream);
    if (whole != null) {
      usage = usageOf(whole);
    }
    return ResponseChunk.unchanged();
  }

  /** {@code meta.tokens} of a rerank answer; none when the body says nothing readable. */
  static TokenUsage usageOf(byte[] answer) {
    JsonNode tokens;
    try {
      tokens = OpenAiJson.MAPPER.readTree(answer).path("meta").path("tokens");
    } catch (IOException | RuntimeException e) {
      return TokenUsage.NONE;
    }
    OptionalLong input = count(tokens.path("input_tokens"));
    OptionalLong output = count(tokens.path("output_tokens"));
    OptionalLong total =
        input.isPresent() || output.isPresent()
            ? OptionalLong.of(input.orElse(0) + output.orElse(0))
            : OptionalLong.empty();
    return new TokenUsage(
        input, OptionalLong.empty(), OptionalLong.empty(), output, total, OptionalLong.empty());
  }

  private static OptionalLong count(JsonNode value) {
    return value.isNumber() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  /** A rerank answer names no model: the request's stands. */
  @Override
  public Optional<String> responseModel() {
    return Optional.empty();
  }
}
