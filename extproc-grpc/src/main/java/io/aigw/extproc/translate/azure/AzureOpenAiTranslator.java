package io.aigw.extproc.translate.azure;

import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.OpenAiToOpenAiTranslator;
import io.aigw.extproc.usage.TokenUsage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI → Azure OpenAI: the deployment (the model, or its override) goes into the path {@code
 * /openai/deployments/{model}/{chat/completions|embeddings}?api-version={version}}. Chat bodies
 * keep the client's model (Azure ignores it), embeddings get the override as upstream does. The
 * Responses API goes to {@code /openai/responses?api-version={version}} (and its {@code
 * input_tokens}), the deployment named by the body's model. Answers are OpenAI's and pass through
 * with their usage read.
 */
public final class AzureOpenAiTranslator implements Translator {

  private final Endpoint endpoint;
  private final OpenAiToOpenAiTranslator openAi;

  public AzureOpenAiTranslator(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.openAi = new OpenAiToOpenAiTranslator(endpoint);
  }

  @Override
  public UpstreamRequest request(ParsedRequest request, RequestPlan plan)
      throws InvalidRequestException {
    String version = plan.schema().version() == null ? "" : plan.schema().version();
    if (endpoint == Endpoint.RESPONSES || endpoint == Endpoint.RESPONSES_INPUT_TOKENS) {
      // Azure's Responses API is not per deployment: the body's model names it, override and all
      UpstreamRequest passthrough = openAi.request(request, plan);
      return new UpstreamRequest(
          "/openai/" + endpoint.suffix() + "?api-version=" + encode(version),
          passthrough.body(),
          passthrough.headers());
    }
    String deployment = plan.effectiveModel(request);
    RequestPlan bodyPlan =
        endpoint == Endpoint.EMBEDDINGS
            ? plan
            : new RequestPlan(
                plan.schema(),
                Optional.empty(),
                plan.injectIncludeUsage(),
                plan.auth(),
                plan.nowEpochSeconds(),
                plan.requestHeaders());
    UpstreamRequest passthrough = openAi.request(request, bodyPlan);
    String path =
        "/openai/deployments/"
            + encode(deployment)
            + "/"
            + endpoint.suffix()
            + "?api-version="
            + encode(version);
    return new UpstreamRequest(path, passthrough.body(), passthrough.headers());
  }

  private static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
      }
    }
    return out.toString();
  }

  @Override
  public List<UpstreamRequest.Header> responseHeaders(int status, Map<String, String> headers) {
    return openAi.responseHeaders(status, headers);
  }

  @Override
  public ResponseChunk responseBody(byte[] chunk, boolean endOfStream) {
    return openAi.responseBody(chunk, endOfStream);
  }

  @Override
  public ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    return openAi.errorBody(status, chunk, endOfStream);
  }

  @Override
  public TokenUsage usage() {
    return openAi.usage();
  }

  @Override
  public Optional<String> responseModel() {
    return openAi.responseModel();
  }
}
