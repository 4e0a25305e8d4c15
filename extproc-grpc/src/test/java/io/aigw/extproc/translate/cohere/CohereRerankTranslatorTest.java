package io.aigw.extproc.translate.cohere;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CohereRerankTranslatorTest {

  private static final byte[] REQUEST =
      "{\"model\":\"rerank-v3.5\",\"query\":\"q\",\"documents\":[\"a\"],\"top_n\":1}"
          .getBytes(StandardCharsets.UTF_8);

  private static UpstreamRequest upstream(String version, Optional<String> override)
      throws Exception {
    return new CohereRerankTranslator()
        .request(
            new ParsedRequest(Endpoint.RERANK, REQUEST, "rerank-v3.5", false, false),
            new RequestPlan(new ApiSchema(ApiSchema.Name.Cohere, version, null), override, false));
  }

  @Test
  void goesToTheSchemasVersionOfRerankAndKeepsTheBodyUnlessTheModelIsOverridden() throws Exception {
    assertThat(upstream("v2", Optional.empty()).path()).isEqualTo("/v2/rerank");
    assertThat(upstream(null, Optional.empty()).path()).isEqualTo("/v2/rerank");
    assertThat(upstream("v1", Optional.empty()).path()).isEqualTo("/v1/rerank");
    assertThat(upstream("v2", Optional.empty()).body()).isEmpty();
    var rewritten = upstream("v2", Optional.of("rerank-english-v3.0")).body().orElseThrow();
    assertThat(rewritten.get("model").asText()).isEqualTo("rerank-english-v3.0");
    assertThat(rewritten.get("top_n").asInt()).isEqualTo(1);
  }

  @Test
  void readsTheTokensOfTheMetaAndNothingFromAnUnreadableAnswer() {
    TokenUsage usage =
        CohereRerankTranslator.usageOf(
            "{\"results\":[],\"meta\":{\"tokens\":{\"input_tokens\":40,\"output_tokens\":2}}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(usage.input()).hasValue(40);
    assertThat(usage.output()).hasValue(2);
    assertThat(usage.total()).hasValue(42);
    assertThat(CohereRerankTranslator.usageOf("{\"results\":[]}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(TokenUsage.NONE);
    assertThat(CohereRerankTranslator.usageOf("not json".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(TokenUsage.NONE);
  }

  @Test
  void aBodyInPiecesIsReadOnceWhole() {
    CohereRerankTranslator translator = new CohereRerankTranslator();
    byte[] answer = "{\"meta\":{\"tokens\":{\"input_tokens\":7}}}".getBytes(StandardCharsets.UTF_8);
    translator.responseBody(java.util.Arrays.copyOfRange(answer, 0, 10), false);
    assertThat(translator.usage()).isEqualTo(TokenUsage.NONE);
    translator.responseBody(java.util.Arrays.copyOfRange(answer, 10, answer.length), true);
    assertThat(translator.usage().input()).hasValue(7);
  }
}
