package io.aigw.extproc.translate.azure;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AzureOpenAiTranslatorTest {

  private static final ApiSchema AZURE =
      new ApiSchema(ApiSchema.Name.AzureOpenAI, "2025-01-01-preview", null);

  @ParameterizedTest
  @CsvSource({
    "CHAT_COMPLETIONS, gpt-4o, ,"
        + " /openai/deployments/gpt-4o/chat/completions?api-version=2025-01-01-preview, false",
    "CHAT_COMPLETIONS, gpt-4o, mini-deploy,"
        + " /openai/deployments/mini-deploy/chat/completions?api-version=2025-01-01-preview, false",
    "EMBEDDINGS, text-embedding-3-small, ,"
        + " /openai/deployments/text-embedding-3-small/embeddings?api-version=2025-01-01-preview,"
        + " false",
    "EMBEDDINGS, text-embedding-3-small, emb-deploy,"
        + " /openai/deployments/emb-deploy/embeddings?api-version=2025-01-01-preview, true"
  })
  void putsTheDeploymentInThePathAndRewritesOnlyEmbeddingBodies(
      Endpoint endpoint, String model, String override, String path, boolean bodyRewritten)
      throws Exception {
    String body =
        endpoint == Endpoint.EMBEDDINGS
            ? "{\"model\":\"" + model + "\",\"input\":\"hi\"}"
            : "{\"model\":\"" + model + "\",\"messages\":[]}";
    UpstreamRequest upstream =
        new AzureOpenAiTranslator(endpoint)
            .request(
                TranslatorHarness.parse(endpoint, body),
                TranslatorHarness.plan(AZURE, override, null));
    assertThat(upstream.path()).isEqualTo(path);
    assertThat(upstream.body().isPresent()).isEqualTo(bodyRewritten);
    if (bodyRewritten) {
      assertThat(TranslatorHarness.body(upstream).get("model").asText()).isEqualTo(override);
    }
  }

  @Test
  void theResponsesApiIsNotPerDeploymentSoAnOverrideGoesInTheBody() throws Exception {
    String body = "{\"model\":\"gpt-4.1\",\"input\":\"hi\"}";
    UpstreamRequest plain =
        new AzureOpenAiTranslator(Endpoint.RESPONSES)
            .request(
                TranslatorHarness.parse(Endpoint.RESPONSES, body),
                TranslatorHarness.plan(AZURE, null, null));
    assertThat(plain.path()).isEqualTo("/openai/responses?api-version=2025-01-01-preview");
    assertThat(plain.body()).isEmpty();

    UpstreamRequest overridden =
        new AzureOpenAiTranslator(Endpoint.RESPONSES_INPUT_TOKENS)
            .request(
                TranslatorHarness.parse(Endpoint.RESPONSES_INPUT_TOKENS, body),
                TranslatorHarness.plan(AZURE, "my-deployment", null));
    assertThat(overridden.path())
        .isEqualTo("/openai/responses/input_tokens?api-version=2025-01-01-preview");
    assertThat(TranslatorHarness.body(overridden).get("model").asText()).isEqualTo("my-deployment");
  }

  @Test
  void readsEmbeddingUsageAndWrapsNonJsonErrors() throws Exception {
    var t = new AzureOpenAiTranslator(Endpoint.EMBEDDINGS);
    t.request(
        TranslatorHarness.parse(Endpoint.EMBEDDINGS, "{\"model\":\"e\",\"input\":\"hi\"}"),
        TranslatorHarness.plan(AZURE, null, null));
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    String response =
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1]}],"
            + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
    assertThat(TranslatorHarness.feed(t, response.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(response);
    assertThat(t.usage().inputOrZero()).isEqualTo(5);
    assertThat(t.usage().totalOrZero()).isEqualTo(5);
    assertThat(t.responseModel()).hasValue("text-embedding-3-small");

    var failing = new AzureOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    failing.responseHeaders(503, Map.of("content-type", "text/plain"));
    assertThat(json(TranslatorHarness.error(failing, 503, "backend timeout")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"OpenAIBackendError\",\"code\":\"503\",\"message\":\"backend"
                    + " timeout\"}}"));
    var json = new AzureOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    json.responseHeaders(404, Map.of("content-type", "application/json"));
    assertThat(TranslatorHarness.error(json, 404, "{\"error\":{\"code\":\"DeploymentNotFound\"}}"))
        .isEqualTo("{\"error\":{\"code\":\"DeploymentNotFound\"}}");
  }
}
