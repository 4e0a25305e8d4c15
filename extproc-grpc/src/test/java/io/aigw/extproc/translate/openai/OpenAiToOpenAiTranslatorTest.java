package io.aigw.extproc.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiToOpenAiTranslatorTest {

  private static ParsedRequest chat(boolean stream) {
    return new ParsedRequest(
        Endpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8),
        "m",
        stream,
        false);
  }

  @Test
  void putsTheBackendPrefixBeforeTheEndpoint() throws Exception {
    for (var c :
        Map.of("v1", "/v1/embeddings", "/openai/v1/", "/openai/v1/embeddings", "", "/embeddings")
            .entrySet()) {
      UpstreamRequest request =
          new OpenAiToOpenAiTranslator(Endpoint.EMBEDDINGS)
              .request(
                  chat(false),
                  new RequestPlan(
                      new ApiSchema(ApiSchema.Name.OpenAI, null, c.getKey()),
                      Optional.empty(),
                      false));
      assertThat(request.path()).isEqualTo(c.getValue());
      assertThat(request.body()).isEmpty();
    }
  }

  @Test
  void keepsReadingUsageWhenTheBodyIsBufferedInPieces() {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    translator.responseHeaders(200, Map.of("content-type", "application/json"));
    byte[] body =
        "{\"model\":\"x\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":4}}"
            .getBytes(StandardCharsets.UTF_8);
    translator.responseBody(java.util.Arrays.copyOfRange(body, 0, 10), false);
    translator.responseBody(java.util.Arrays.copyOfRange(body, 10, body.length), true);
    assertThat(translator.usage().input()).hasValue(2);
    assertThat(translator.usage().total()).hasValue(4);
    assertThat(translator.responseModel()).hasValue("x");
  }

  @Test
  void anUnreadableBodyReportsNoUsageAndPassesThrough() {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    assertThat(
            translator
                .responseBody("not json".getBytes(StandardCharsets.UTF_8), true)
                .replacement())
        .isEmpty();
    assertThat(translator.usage().isEmpty()).isTrue();
  }

  @Test
  void recognisesAUsageObjectButNotANullUsage() {
    assertThat(OpenAiToOpenAiTranslator.hasUsageObject("{\"usage\" : {\"a\":1}}")).isTrue();
    assertThat(OpenAiToOpenAiTranslator.hasUsageObject("{\"usage\":null,\"x\":\"usage\"}"))
        .isFalse();
    assertThat(OpenAiToOpenAiTranslator.hasUsageObject("{\"text\":\"\\\"usage\\\"\",\"usage\":{}}"))
        .isTrue();
  }
}
