package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.core.filterconfig.ApiFamily;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.translate.Endpoint;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An ExtProc serves the APIs at its config's root and endpoint prefixes, and nowhere else. */
class ServedPathsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApiPaths UNDER_AI = ApiPaths.parse("/ai", "anthropic:/claude");

  private final RecordingObserver observer = new RecordingObserver();

  private StreamProcessor processor(FilterConfig... configs) {
    FilterConfigAdapter.Result result = FilterConfigAdapter.toRoutingTable(List.of(configs));
    assertThat(result.problems()).isEmpty();
    return new StreamProcessor(
        result.table(),
        new ProcessorEnvironment(
            () -> 1_000_000_000L,
            () -> 0.5,
            file -> Optional.of("sk-test"),
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer));
  }

  private static ImmediateResponse immediate(ProcessingResponse reply) {
    assertThat(reply.hasImmediateResponse()).as(reply.toString()).isTrue();
    return reply.getImmediateResponse();
  }

  private static JsonNode body(ImmediateResponse response) throws Exception {
    return JSON.readTree(response.getBody().toStringUtf8());
  }

  @Test
  void everyEndpointAndModelListIsFoundUnderItsFamilysPrefix() {
    ServedPaths served = ServedPaths.of(UNDER_AI);
    assertThat(served.find("/ai/v1/chat/completions?x=1"))
        .contains(new ServedPaths.Api(Endpoint.CHAT_COMPLETIONS));
    assertThat(served.find("/ai/claude/v1/messages"))
        .contains(new ServedPaths.Api(Endpoint.MESSAGES));
    assertThat(served.find("/ai/cohere/v2/rerank")).contains(new ServedPaths.Api(Endpoint.RERANK));
    assertThat(served.find("/ai/tokenize")).contains(new ServedPaths.Api(Endpoint.TOKENIZE));
    assertThat(served.find("/ai/v1/models")).contains(new ServedPaths.Models(ApiFamily.OPENAI));
    assertThat(served.find("/ai/claude/v1/models"))
        .contains(new ServedPaths.Models(ApiFamily.ANTHROPIC));
    // the default paths are not served beside them
    assertThat(served.find("/v1/chat/completions")).isEmpty();
    assertThat(served.find("/ai/anthropic/v1/messages")).isEmpty();
  }

  @Test
  void theDefaultsServeUpstreamsPaths() {
    Map<String, ServedPaths.Served> expected = new java.util.LinkedHashMap<>();
    expected.put("/v1/chat/completions", new ServedPaths.Api(Endpoint.CHAT_COMPLETIONS));
    expected.put("/v1/completions", new ServedPaths.Api(Endpoint.COMPLETIONS));
    expected.put("/v1/embeddings", new ServedPaths.Api(Endpoint.EMBEDDINGS));
    expected.put("/v1/responses", new ServedPaths.Api(Endpoint.RESPONSES));
    expected.put(
        "/v1/responses/input_tokens", new ServedPaths.Api(Endpoint.RESPONSES_INPUT_TOKENS));
    expected.put("/v1/images/generations", new ServedPaths.Api(Endpoint.IMAGES_GENERATIONS));
    expected.put("/v1/audio/speech", new ServedPaths.Api(Endpoint.AUDIO_SPEECH));
    expected.put("/v1/audio/transcriptions", new ServedPaths.Api(Endpoint.AUDIO_TRANSCRIPTIONS));
    expected.put("/v1/audio/translations", new ServedPaths.Api(Endpoint.AUDIO_TRANSLATIONS));
    expected.put("/tokenize", new ServedPaths.Api(Endpoint.TOKENIZE));
    expected.put("/anthropic/v1/messages", new ServedPaths.Api(Endpoint.MESSAGES));
    expected.put("/anthropic/v1/messages/count_tokens", new ServedPaths.Api(Endpoint.COUNT_TOKENS));
    expected.put("/cohere/v2/rerank", new ServedPaths.Api(Endpoint.RERANK));
    expected.put("/v1/models", new ServedPaths.Models(ApiFamily.OPENAI));
    expected.put("/anthropic/v1/models", new ServedPaths.Models(ApiFamily.ANTHROPIC));
    assertThat(Endpoint.values()).hasSize(13);
    expected.forEach((path, served) -> assertThat(ServedPaths.DEFAULT.find(path)).contains(served));
    assertThat(ServedPaths.DEFAULT.find("/anthropic/v1/chat/completions")).isEmpty();
  }

  @Test
  void twoFamiliesAtOnePrefixAreRefusedSinceTheirModelListsCollide() {
    assertThatThrownBy(() -> ServedPaths.of(ApiPaths.parse("/", "anthropic:/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "endpoint prefixes serve both openai /v1/models and anthropic /v1/models at"
                + " /v1/models; give the API families different prefixes");
  }

  @Test
  void errorsUnderAnthropicsPrefixAreInAnthropicsShapeWhateverThePath() {
    ServedPaths served = ServedPaths.of(UNDER_AI);
    assertThat(served.errorShapeOf("/ai/claude/v1/nothing")).isEqualTo(ApiFamily.ANTHROPIC);
    assertThat(served.errorShapeOf("/ai/claude/v1/models")).isEqualTo(ApiFamily.ANTHROPIC);
    assertThat(served.errorShapeOf("/anthropic/v1/messages")).isEqualTo(ApiFamily.OPENAI);
    assertThat(served.errorShapeOf("/ai/v1/nothing")).isEqualTo(ApiFamily.OPENAI);
    // by whole segments, the longest prefix deciding
    assertThat(served.errorShapeOf("/ai/claudette/v1/messages")).isEqualTo(ApiFamily.OPENAI);
    ServedPaths nested = ServedPaths.of(ApiPaths.parse("/", "anthropic:/v1/claude"));
    assertThat(nested.errorShapeOf("/v1/claude/v1/nothing")).isEqualTo(ApiFamily.ANTHROPIC);
    assertThat(nested.errorShapeOf("/v1/nothing")).isEqualTo(ApiFamily.OPENAI);
  }

  @Test
  void aChatUnderTheRootIsRoutedAndSentToTheBackendsOwnPath() {
    StreamProcessor p = processor(Exchanges.chatRoute().withApiPaths(UNDER_AI));
    assertThat(p.process(requestHeaders("/ai/v1/chat/completions")).hasRequestHeaders()).isTrue();
    ProcessingResponse reply = p.process(requestBody(CHAT));
    assertThat(setHeaders(reply.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry(":path", "/v1/chat/completions")
        .containsEntry("x-ai-eg-original-path", "/ai/v1/chat/completions")
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
  }

  @Test
  void pathsOutsideTheRootAreUnsupportedInTheShapeOfTheirApi() throws Exception {
    FilterConfig config = Exchanges.chatRoute().withApiPaths(UNDER_AI);
    ImmediateResponse unprefixed =
        immediate(processor(config).process(requestHeaders("/v1/chat/completions")));
    assertThat(unprefixed.getStatus().getCodeValue()).isEqualTo(400);
    assertThat(body(unprefixed).at("/error/code").asText()).isEqualTo("unsupported_path");

    ImmediateResponse claude =
        immediate(processor(config).process(requestHeaders("/ai/claude/v1/complete")));
    assertThat(claude.getStatus().getCodeValue()).isEqualTo(400);
    assertThat(body(claude).at("/type").asText()).isEqualTo("error");
    assertThat(body(claude).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void anthropicsMessagesUnderItsPrefixGoToTheProvidersPathAndRefuseInItsShape() throws Exception {
    FilterConfig config =
        Exchanges.oneBackend(
                "chat",
                Exchanges.modelRule("r", "claude", Exchanges.ref("anthropic.default", 1, 0)),
                new Backend(
                    "anthropic.default",
                    new ApiSchema(ApiSchema.Name.Anthropic, null, null),
                    new BackendAuth.AnthropicApiKey(Exchanges.key("/secrets/anthropic/apiKey")),
                    null))
            .withApiPaths(UNDER_AI);
    StreamProcessor p = processor(config);
    p.process(requestHeaders("/ai/claude/v1/messages"));
    ProcessingResponse reply =
        p.process(
            requestBody(
                "{\"model\":\"claude\",\"max_tokens\":5,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
    assertThat(setHeaders(reply.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry(":path", "/v1/messages")
        .containsEntry("x-api-key", "sk-test");

    StreamProcessor modelless = processor(config);
    modelless.process(requestHeaders("/ai/claude/v1/messages"));
    ImmediateResponse missing =
        immediate(modelless.process(requestBody("{\"max_tokens\":5,\"messages\":[]}")));
    assertThat(missing.getStatus().getCodeValue()).isEqualTo(400);
    assertThat(body(missing).at("/type").asText()).isEqualTo("error");
  }

  @Test
  void theRootItselfAndAWrongMethodAreRefused() throws Exception {
    FilterConfig config = Exchanges.chatRoute().withApiPaths(UNDER_AI);
    for (String path : List.of("/ai", "/ai/", "/ai/v1")) {
      ImmediateResponse root = immediate(processor(config).process(requestHeaders(path)));
      assertThat(root.getStatus().getCodeValue()).as(path).isEqualTo(400);
    }
    ImmediateResponse post =
        immediate(
            processor(config)
                .process(requestHeaders("POST", "/ai/claude/v1/models", Map.of(), false)));
    assertThat(post.getStatus().getCodeValue()).isEqualTo(405);
    assertThat(body(post).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(body(post).at("/type").asText()).isEqualTo("error");
  }

  @Test
  void theModelListsAreAnsweredUnderTheirPrefixes() throws Exception {
    FilterConfig config = Exchanges.chatRoute().withApiPaths(UNDER_AI);
    ImmediateResponse openAi =
        immediate(
            processor(config)
                .process(requestHeaders("GET", "/ai/v1/models?limit=5", Map.of(), true)));
    assertThat(openAi.getStatus().getCodeValue()).isEqualTo(200);
    assertThat(body(openAi).at("/data/0/id").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body(openAi).at("/data/0/object").asText()).isEqualTo("model");

    ImmediateResponse anthropic =
        immediate(
            processor(config)
                .process(requestHeaders("GET", "/ai/claude/v1/models", Map.of(), true)));
    assertThat(body(anthropic).at("/data/0/type").asText()).isEqualTo("model");
  }

  @Test
  void aRouteServingTheApisElsewhereIsLeftOutOfTheTableAndSaidWhy() {
    FilterConfig first = Exchanges.chatRoute().withApiPaths(UNDER_AI);
    FilterConfig other =
        Exchanges.oneBackend(
            "other", Exchanges.chatRoute().rules().get(0), Exchanges.chatRoute().backends().get(0));
    FilterConfigAdapter.Result result = FilterConfigAdapter.toRoutingTable(List.of(first, other));
    assertThat(result.table().routes()).extracting(Route::name).containsExactly("chat");
    assertThat(result.table().paths().apiPaths()).isEqualTo(UNDER_AI);
    assertThat(result.problems())
        .containsExactly(
            "default/other: serves the APIs at root /, anthropic /anthropic, cohere /cohere,"
                + " openai /, this ExtProc at root /ai, anthropic /claude, cohere /cohere, openai"
                + " / (the first config's)");
  }
}
