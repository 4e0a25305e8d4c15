package io.aigw.extproc.translate.anthropic;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountTokensTranslatorTest {

  private static final String COUNT =
      "{\"model\":\"claude-x\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Hello!\"}]}";

  private static UpstreamRequest request(
      CountTokensTranslator translator, ApiSchema schema, String override, BackendAuth auth)
      throws Exception {
    return translator.request(
        TranslatorHarness.parse(Endpoint.COUNT_TOKENS, COUNT),
        TranslatorHarness.plan(schema, override, auth));
  }

  @Test
  void anthropicCountsWhatTheClientSentAndTheCountIsTheInputUsage() throws Exception {
    var t = new CountTokensTranslator(ApiSchema.Name.Anthropic);
    UpstreamRequest upstream =
        request(t, new ApiSchema(ApiSchema.Name.Anthropic, null, null), null, null);
    assertThat(upstream.path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(upstream.body()).isEmpty();
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    assertThat(TranslatorHarness.feed(t, "{\"input_tokens\":42}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("{\"input_tokens\":42}");
    assertThat(t.usage().input()).hasValue(42);
    assertThat(t.usage().total()).isEmpty();

    // a count is a whole number, or the answer is no count
    var fractional = new CountTokensTranslator(ApiSchema.Name.Anthropic);
    request(fractional, new ApiSchema(ApiSchema.Name.Anthropic, null, null), null, null);
    fractional.responseHeaders(200, Map.of("content-type", "application/json"));
    assertThat(
            fractional
                .responseBody("{\"input_tokens\":4.5}".getBytes(StandardCharsets.UTF_8), true)
                .unreadable())
        .hasValue("the provider's answer is not a token count");
  }

  @Test
  void vertexCountsWithTheModelAndVersionInTheBody() throws Exception {
    var t = new CountTokensTranslator(ApiSchema.Name.GCPAnthropic);
    UpstreamRequest upstream =
        request(
            t,
            new ApiSchema(ApiSchema.Name.GCPAnthropic, null, null),
            "claude-sonnet-4-5@20250929",
            new BackendAuth.Gcp("proj", "us-east5", null, null));
    assertThat(upstream.path())
        .isEqualTo(
            "/v1/projects/proj/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict");
    JsonNode body = TranslatorHarness.body(upstream);
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5@20250929");
    assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
  }

  @Test
  void bedrockCountsTheWholeInvokeRequestOfTheFoundationModel() throws Exception {
    var t = new CountTokensTranslator(ApiSchema.Name.AWSAnthropic);
    UpstreamRequest upstream =
        request(
            t,
            new ApiSchema(ApiSchema.Name.AWSAnthropic, null, null),
            "us.anthropic.claude-sonnet-4-5",
            null);
    assertThat(upstream.path()).isEqualTo("/model/anthropic.claude-sonnet-4-5/count-tokens");
    String invoke =
        new String(
            Base64.getDecoder()
                .decode(TranslatorHarness.body(upstream).at("/input/invokeModel/body").asText()),
            StandardCharsets.UTF_8);
    assertThat(json(invoke))
        .isEqualTo(
            json(
                "{\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],"
                    + "\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1}"));

    t.responseHeaders(200, Map.of("content-type", "application/json"));
    assertThat(TranslatorHarness.feed(t, "{\"inputTokens\":17}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("{\"input_tokens\":17}");
    assertThat(t.usage().input()).hasValue(17);

    var refused = new CountTokensTranslator(ApiSchema.Name.AWSBedrock);
    refused.responseHeaders(400, Map.of("content-type", "application/json"));
    assertThat(json(TranslatorHarness.error(refused, 400, "{\"message\":\"bad model\"}")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                    + "\"message\":\"bad model\"},\"request_id\":\"\"}"));
    for (String other : new String[] {"{\"Message\":\"bad model\"}", "<html>proxy</html>"}) {
      var wrapped = new CountTokensTranslator(ApiSchema.Name.AWSAnthropic);
      wrapped.responseHeaders(400, Map.of("content-type", "application/json"));
      assertThat(json(TranslatorHarness.error(wrapped, 400, other)).at("/error/type").asText())
          .as(other)
          .isEqualTo("invalid_request_error");
    }
  }
}
