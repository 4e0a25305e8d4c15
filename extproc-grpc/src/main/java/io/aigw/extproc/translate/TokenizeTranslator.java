package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * vLLM's {@code /tokenize} on a backend that counts tokens rather than tokenizing (Gemini's {@code
 * countTokens}, Claude's and Bedrock's {@code count-tokens}), as upstream serves it: the request
 * becomes the chat the provider's own translation would send, counted; the count comes back in
 * vLLM's shape ({@link TokenizeRequests#answer}) and is the request's input usage. Errors are the
 * provider's chat translator's, OpenAI-shaped.
 */
public final class TokenizeTranslator implements Translator {

  /** How one provider counts the tokens of a chat. */
  public interface TokenCount {

    /** The provider's count request for {@code chat}, sent to {@code model}. */
    UpstreamRequest request(ObjectNode chat, String model, RequestPlan plan)
        throws InvalidRequestException;

    /** The count in the provider's answer, or empty when it is none. */
    OptionalLong count(byte[] answer);
  }

  private final TokenCount counting;
  private final Translator errors;
  private final BodyCollector collected = new BodyCollector();
  private TokenUsage usage = TokenUsage.NONE;
  private Optional<String> responseModel = Optional.empty();

  /**
   * @param counting the provider's count
   * @param errors a chat translator of the same provider, which makes its errors OpenAI-shaped
   */
  public TokenizeTranslator(TokenCount counting, Translator errors) {
    this.counting = counting;
    this.errors = errors;
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    String model = plan.effectiveModel(request);
    responseModel = Optional.of(model);
    return counting.request(TokenizeRequests.chat(request), model, plan);
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    return errors.responseHeaders(status, headers);
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    byte[] whole = collected.add(chunk, endOfStream);
    if (whole == null) {
      return ResponseChunk.replacedBy(new byte[0]);
    }
    OptionalLong count = counting.count(whole);
    if (count.isEmpty()) {
      return ResponseChunk.unreadable("the provider's answer is not a token count");
    }
    usage = TokenUsage.counted(count.getAsLong());
    return ResponseChunk.replacedBy(TokenizeRequests.answer(count.getAsLong()));
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    return errors.errorBody(status, chunk, endOfStream);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public Optional<String> responseModel() {
    return responseModel;
  }

  /** The whole number at {@code field} of the JSON object {@code answer}, a provider's count. */
  public static OptionalLong countIn(byte[] answer, String field) {
    try {
      JsonNode count = OpenAiJson.MAPPER.readTree(answer).get(field);
      return count != null && count.isIntegralNumber() && count.canConvertToLong()
          ? OptionalLong.of(count.asLong())
          : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
