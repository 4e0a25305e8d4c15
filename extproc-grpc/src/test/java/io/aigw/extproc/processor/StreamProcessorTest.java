package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.CHAT_STREAM;
import static io.aigw.extproc.processor.Exchanges.COMPLETION_BODY;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.responseBody;
import static io.aigw.extproc.processor.Exchanges.responseHeaders;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.HeaderMutation;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.extproc.auth.CredentialSource;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamProcessorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final RecordingObserver observer = new RecordingObserver();
  private final BackendHealth health = new BackendHealth(PassiveHealthPolicy.DEFAULT);
  private CredentialSource credentials =
      file ->
          file.path().equals("/secrets/openai/apiKey")
              ? Optional.of("sk-test\n")
              : Optional.empty();

  private StreamProcessor processor(FilterConfig... configs) {
    RoutingTable table = FilterConfigAdapter.toRoutingTable(List.of(configs)).table();
    return new StreamProcessor(
        table, new ProcessorEnvironment(clock::get, () -> 0.5, credentials, health, observer));
  }

  private static JsonNode json(com.google.protobuf.ByteString bytes) throws Exception {
    return JSON.readTree(bytes.toStringUtf8());
  }

  @Test
  void routesABufferedChatToItsBackendWithModelHeaderPathAndCredential() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    ProcessingResponse headers = p.process(requestHeaders("/v1/chat/completions"));
    assertThat(headers.hasRequestHeaders()).isTrue();

    ProcessingResponse body = p.process(requestBody(CHAT));
    CommonResponse common = body.getRequestBody().getResponse();
    assertThat(common.getClearRouteCache()).isTrue();
    assertThat(common.hasBodyMutation()).as("body passes through unchanged").isFalse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry("x-ai-eg-model", "gpt-4o-mini")
        .containsEntry("x-ai-eg-selected-backend", "openai.default")
        .containsEntry(":path", "/v1/chat/completions")
        .containsEntry("authorization", "Bearer sk-test");
    assertThat(observer.errors).isEmpty();
  }

  private static long heapUsedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Test
  void aStreamHoldsNoRequestBodyOnceTheRequestIsForwarded() {
    // a streamed completion can last minutes, and each may have sent a prompt of up to 50 MiB
    String prompt = "x".repeat(8 << 20);
    String chat =
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\""
            + prompt
            + "\"}]}";
    long before = heapUsedAfterGc();
    List<StreamProcessor> streaming = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      StreamProcessor p = processor(Exchanges.chatRoute());
      p.process(requestHeaders("/v1/chat/completions"));
      assertThat(p.process(requestBody(chat)).getRequestBody().getResponse().getClearRouteCache())
          .isTrue();
      streaming.add(p);
    }
    long held = heapUsedAfterGc() - before;
    assertThat(streaming).hasSize(24);
    // 24 streams × 8 MiB = 192 MiB if each kept its body
    assertThat(held).isLessThan(48L << 20);
  }

  @Test
  void headerKeysConfiguredInUpperCaseMatchRulesAndAreSetInLowerCase() {
    FilterConfig base = Exchanges.chatRoute();
    FilterConfig upper =
        Exchanges.with(base, "X-AI-EG-Model", "X-AI-EG-Selected-Backend", null, null);
    StreamProcessor p = processor(upper);
    p.process(requestHeaders("/v1/chat/completions"));

    CommonResponse common = p.process(requestBody(CHAT)).getRequestBody().getResponse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry("x-ai-eg-model", "gpt-4o-mini")
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
  }

  /** A body message as Envoy sends a buffered body that trailers follow: not the stream's end. */
  private static ProcessingRequest bodyBeforeTrailers(String body, boolean response) {
    HttpBody http =
        HttpBody.newBuilder()
            .setBody(com.google.protobuf.ByteString.copyFromUtf8(body))
            .setEndOfStream(false)
            .build();
    return response
        ? ProcessingRequest.newBuilder().setResponseBody(http).build()
        : ProcessingRequest.newBuilder().setRequestBody(http).build();
  }

  @Test
  void aBufferedBodyThatTrailersFollowIsStillTheWholeBody() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse routed =
        p.process(bodyBeforeTrailers(CHAT, false)).getRequestBody().getResponse();
    assertThat(routed.getClearRouteCache()).isTrue();
    assertThat(setHeaders(routed.getHeaderMutation()))
        .containsEntry("x-ai-eg-selected-backend", "openai.default");

    p.process(responseHeaders(200, "application/json"));
    ProcessingResponse body = p.process(bodyBeforeTrailers(COMPLETION_BODY, true));
    assertThat(
            body.getDynamicMetadata()
                .getFieldsOrThrow("io.envoy.ai_gateway")
                .getStructValue()
                .getFieldsOrThrow("used_token")
                .getNumberValue())
        .isEqualTo(13);
    assertThat(p.expectsNothingMore()).isTrue();
  }

  @Test
  void aRequestBodyStreamedInPiecesIsGatheredWhenTheFirstMessageSaysSo() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(
        requestHeaders("/v1/chat/completions").toBuilder()
            .setProtocolConfig(
                ProtocolConfiguration.newBuilder()
                    .setRequestBodyMode(ProcessingMode.BodySendMode.STREAMED)
                    .setResponseBodyMode(ProcessingMode.BodySendMode.BUFFERED))
            .build());
    int half = CHAT.length() / 2;
    ProcessingResponse first = p.process(bodyBeforeTrailers(CHAT.substring(0, half), false));
    assertThat(first.getRequestBody().getResponse().getClearRouteCache()).isFalse();
    CommonResponse routed =
        p.process(requestBody(CHAT.substring(half))).getRequestBody().getResponse();
    assertThat(setHeaders(routed.getHeaderMutation()))
        .containsEntry("x-ai-eg-model", "gpt-4o-mini")
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
  }

  @Test
  void aResponseBodyStreamedInPiecesIsCountedAtItsEndWhenTheFirstMessageSaysSo() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(
        requestHeaders("/v1/chat/completions").toBuilder()
            .setProtocolConfig(
                ProtocolConfiguration.newBuilder()
                    .setRequestBodyMode(ProcessingMode.BodySendMode.BUFFERED_PARTIAL)
                    .setResponseBodyMode(ProcessingMode.BodySendMode.STREAMED))
            .build());
    CommonResponse routed =
        p.process(bodyBeforeTrailers(CHAT, false)).getRequestBody().getResponse();
    assertThat(routed.getClearRouteCache())
        .as("a partially buffered body is one message too")
        .isTrue();
    p.process(responseHeaders(200, "application/json"));
    int half = COMPLETION_BODY.length() / 2;
    ProcessingResponse first =
        p.process(bodyBeforeTrailers(COMPLETION_BODY.substring(0, half), true));
    assertThat(first.hasDynamicMetadata()).isFalse();
    assertThat(p.expectsNothingMore()).isFalse();
    ProcessingResponse last = p.process(responseBody(COMPLETION_BODY.substring(half), true));
    assertThat(
            last.getDynamicMetadata()
                .getFieldsOrThrow("io.envoy.ai_gateway")
                .getStructValue()
                .getFieldsOrThrow("used_token")
                .getNumberValue())
        .isEqualTo(13);
  }

  @Test
  void aBackendMutationCannotRewriteTheRoutingHeadersUnderTheirConfiguredNames() {
    FilterConfig base = Exchanges.chatRoute();
    RuleBackend meddling =
        new RuleBackend(
            "openai.default",
            1,
            0,
            null,
            new HeaderMutation(
                List.of(
                    new HeaderMutation.Header("x-backend", "elsewhere.default"),
                    new HeaderMutation.Header("X-Model", "other")),
                List.of("x-backend")),
            null);
    FilterConfig config =
        Exchanges.with(
            base,
            "x-model",
            "x-backend",
            List.of(
                new Rule(
                    "r",
                    List.of(
                        new Rule.Match(
                            List.of(
                                new Rule.HeaderMatch(
                                    "x-model", Rule.MatchType.Exact, "gpt-4o-mini")))),
                    List.of(meddling))),
            null);
    StreamProcessor p = processor(config);
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse common = p.process(requestBody(CHAT)).getRequestBody().getResponse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry("x-backend", "openai.default")
        .containsEntry("x-model", "gpt-4o-mini");
    assertThat(common.getHeaderMutation().getRemoveHeadersList()).doesNotContain("x-backend");
  }

  @Test
  void answersModelsWithTheOpenAiListShape() throws Exception {
    StreamProcessor p = processor(Exchanges.chatRoute());
    ProcessingResponse models = p.process(requestHeaders("GET", "/v1/models", Map.of(), true));
    assertThat(models.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(200);
    JsonNode list = json(models.getImmediateResponse().getBody());
    assertThat(list.get("object").asText()).isEqualTo("list");
    assertThat(list.get("data").get(0).get("id").asText()).isEqualTo("gpt-4o-mini");
    assertThat(list.get("data").get(0).get("owned_by").asText()).isEqualTo("openai");
    assertThat(list.get("data").get(0).get("created").asLong()).isEqualTo(1721260800L);
  }

  @Test
  void answersAnthropicModelsWithTheModelsApiShapeAndRefusesOtherMethods() throws Exception {
    ProcessingResponse models =
        processor(Exchanges.chatRoute())
            .process(requestHeaders("GET", "/anthropic/v1/models?limit=20", Map.of(), true));
    assertThat(models.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(200);
    assertThat(setHeaders(models.getImmediateResponse().getHeaders()))
        .containsEntry("content-type", "application/json")
        .containsEntry(
            "content-length", Integer.toString(models.getImmediateResponse().getBody().size()));
    JsonNode list = json(models.getImmediateResponse().getBody());
    assertThat(list.at("/data/0/type").asText()).isEqualTo("model");
    assertThat(list.at("/data/0/id").asText()).isEqualTo("gpt-4o-mini");
    assertThat(list.at("/data/0/display_name").asText()).isEqualTo("gpt-4o-mini");
    assertThat(list.at("/data/0/created_at").asText()).isEqualTo("2024-07-18T00:00:00Z");
    assertThat(list.get("has_more").asBoolean(true)).isFalse();
    assertThat(list.get("first_id").asText()).isEqualTo("gpt-4o-mini");
    assertThat(list.get("last_id").asText()).isEqualTo("gpt-4o-mini");
    assertThat(observer.completed).isNotEmpty();

    ProcessingResponse post =
        processor(Exchanges.chatRoute())
            .process(requestHeaders("POST", "/anthropic/v1/models", Map.of(), false));
    assertThat(post.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(405);
  }

  @Test
  void malformedJsonIsAnOpenAiShaped400() throws Exception {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse reply =
        p.process(requestBody("{\"model\": \"x\", \"messages\": [\"unterminated"));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    JsonNode error = json(reply.getImmediateResponse().getBody()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_json");
    assertThat(error.get("message").asText()).startsWith("malformed request");
  }

  @Test
  void aMissingModelIsA400() throws Exception {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse reply = p.process(requestBody("{\"messages\":[]}"));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    assertThat(json(reply.getImmediateResponse().getBody()).at("/error/code").asText())
        .isEqualTo("missing_model");
  }

  @Test
  void anUnsupportedPathIsA400WithTheEscapedPathInTheMessage() throws Exception {
    StreamProcessor p = processor(Exchanges.chatRoute());
    ProcessingResponse reply = p.process(requestHeaders("/v1/\"quoted\"\\path"));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    assertThat(json(reply.getImmediateResponse().getBody()).at("/error/message").asText())
        .isEqualTo("unsupported path: /v1/\"quoted\"\\path");
  }

  @Test
  void errorsOnAnthropicsPathsAreAnthropicShapedForItsSdks() throws Exception {
    StreamProcessor malformed = processor(anthropicChat());
    malformed.process(requestHeaders("/anthropic/v1/messages"));
    JsonNode bad =
        json(malformed.process(requestBody("{\"model\": \"x\"")).getImmediateResponse().getBody());
    assertThat(bad.get("type").asText()).isEqualTo("error");
    assertThat(bad.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(bad.at("/error/message").asText()).startsWith("malformed request");
    assertThat(bad.at("/error/code").isMissingNode()).isTrue();

    StreamProcessor unrouted = processor(anthropicChat());
    unrouted.process(requestHeaders("/anthropic/v1/messages"));
    ProcessingResponse notFound =
        unrouted.process(
            requestBody(
                "{\"model\":\"unknown\",\"max_tokens\":5,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertThat(notFound.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
    assertThat(json(notFound.getImmediateResponse().getBody()).at("/error/type").asText())
        .isEqualTo("not_found_error");

    ProcessingResponse post =
        processor(anthropicChat())
            .process(requestHeaders("POST", "/anthropic/v1/models", Map.of(), false));
    assertThat(json(post.getImmediateResponse().getBody()).at("/error/type").asText())
        .isEqualTo("invalid_request_error");

    // a failure of the gateway's is Anthropic's api_error
    credentials = CredentialSource.none();
    StreamProcessor keyless = processor(anthropicChat());
    keyless.process(requestHeaders("/anthropic/v1/messages"));
    ProcessingResponse missing =
        keyless.process(
            requestBody(
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertThat(missing.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(500);
    assertThat(json(missing.getImmediateResponse().getBody()).at("/error/type").asText())
        .isEqualTo("api_error");

    // the OpenAI paths keep OpenAI's shape
    StreamProcessor openAi = processor(anthropicChat());
    openAi.process(requestHeaders("/v1/chat/completions"));
    JsonNode openAiError =
        json(openAi.process(requestBody("{\"model\": \"x\"")).getImmediateResponse().getBody());
    assertThat(openAiError.has("type")).isFalse();
    assertThat(openAiError.at("/error/code").asText()).isEqualTo("invalid_json");
  }

  @Test
  void aModelNoRuleMatchesIsA404() throws Exception {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse reply = p.process(requestBody(CHAT.replace("gpt-4o-mini", "unknown")));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
    assertThat(json(reply.getImmediateResponse().getBody()).at("/error/code").asText())
        .isEqualTo("no_matching_route");
    assertThat(observer.completed)
        .singleElement()
        .extracting(ExchangeSummary::status)
        .isEqualTo(404);
  }

  @Test
  void beforeAnyConfigIsLoadedRequestsAre503NotReadyNot404() throws Exception {
    // a model that a moment later is served must not look unknown to a client that retries on 5xx,
    // nor a path the config may serve (its prefixes come with it) look unsupported
    StreamProcessor chat =
        new StreamProcessor(
            RoutingTable.notLoaded(),
            new ProcessorEnvironment(clock::get, () -> 0.5, credentials, health, observer));
    ProcessingResponse reply = chat.process(requestHeaders("/ai/v1/chat/completions"));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    assertThat(json(reply.getImmediateResponse().getBody()).at("/error/code").asText())
        .isEqualTo("not_ready");
    assertThat(setHeaders(reply.getImmediateResponse().getHeaders()))
        .containsEntry("retry-after", "1");
    StreamProcessor models =
        new StreamProcessor(
            RoutingTable.notLoaded(),
            new ProcessorEnvironment(clock::get, () -> 0.5, credentials, health, observer));
    ProcessingResponse list = models.process(requestHeaders("GET", "/v1/models", Map.of(), true));
    assertThat(list.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    // a config without routes is loaded: its requests find no route
    StreamProcessor empty = processor();
    empty.process(requestHeaders("/v1/chat/completions"));
    assertThat(empty.process(requestBody(CHAT)).getImmediateResponse().getStatus().getCodeValue())
        .isEqualTo(404);
  }

  @Test
  void appliesModelOverrideAndHeaderAndBodyMutations() throws Exception {
    FilterConfig base = Exchanges.chatRoute();
    RuleBackend override =
        new RuleBackend(
            "openai.default",
            1,
            0,
            "gpt-4o",
            new HeaderMutation(
                List.of(
                    new HeaderMutation.Header("x-team", "a"),
                    new HeaderMutation.Header("x-ai-eg-model", "spoofed"),
                    new HeaderMutation.Header(":path", "/evil")),
                List.of("x-internal")),
            new BodyMutation(
                List.of(
                    new BodyMutation.Field("temperature", "0.5"),
                    new BodyMutation.Field("user", "team a")),
                List.of("messages")));
    FilterConfig config =
        FilterConfig.of(
            "default",
            "chat",
            List.of(),
            List.of(Exchanges.modelRule("r", "gpt-4o-mini", override)),
            base.backends(),
            base.llmRequestCosts(),
            base.models());
    StreamProcessor p = processor(config);
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse common = p.process(requestBody(CHAT)).getRequestBody().getResponse();
    JsonNode sent = json(common.getBodyMutation().getBody());
    assertThat(sent.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.get("temperature").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(sent.get("user").asText()).isEqualTo("team a");
    assertThat(sent.has("messages")).isFalse();
    Map<String, String> set = setHeaders(common.getHeaderMutation());
    assertThat(set)
        .containsEntry("x-team", "a")
        .containsEntry("x-ai-eg-model", "gpt-4o-mini")
        .containsEntry(":path", "/v1/chat/completions")
        .containsEntry(
            "content-length", Integer.toString(common.getBodyMutation().getBody().size()));
    // a client's backend-rule header never reaches Envoy's routing
    assertThat(common.getHeaderMutation().getRemoveHeadersList())
        .containsExactly(
            "x-internal", "x-aigw-backend-rule", "x-api-key", "api-key", "x-goog-api-key");
  }

  @Test
  void theBackendRuleOfTheChosenCandidateIsSetForEnvoyToPickItsTimeouts() {
    FilterConfig base = Exchanges.chatRoute();
    FilterConfig config =
        Exchanges.with(
            base,
            "x-ai-eg-model",
            "x-ai-eg-selected-backend",
            List.of(
                Exchanges.modelRule(
                    "slow",
                    "gpt-4o-mini",
                    new RuleBackend("openai.default", 1, 0, null, null, null, "300s", null))),
            null);
    StreamProcessor p = processor(config);
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse common = p.process(requestBody(CHAT)).getRequestBody().getResponse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry("x-ai-eg-selected-backend", "openai.default")
        .containsEntry("x-aigw-backend-rule", "300s");
    assertThat(common.getHeaderMutation().getRemoveHeadersList())
        .doesNotContain("x-aigw-backend-rule");
  }

  @Test
  void aBackendsHeaderMutationOverridesTheTranslatorsHeaderAndTheCredentialComesLast() {
    RuleBackend pinned =
        new RuleBackend(
            "anthropic.default",
            1,
            0,
            null,
            new HeaderMutation(
                List.of(
                    new HeaderMutation.Header("anthropic-version", "2023-01-01"),
                    new HeaderMutation.Header("x-api-key", "from-mutation")),
                List.of()),
            null);
    FilterConfig config =
        Exchanges.oneBackend(
            "chat",
            Exchanges.modelRule("r", "gpt-4o-mini", pinned),
            new Backend(
                "anthropic.default",
                new ApiSchema(ApiSchema.Name.Anthropic, null, null),
                new BackendAuth.AnthropicApiKey(Exchanges.key("/secrets/openai/apiKey")),
                null));
    StreamProcessor p = processor(config);
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse common = p.process(requestBody(CHAT)).getRequestBody().getResponse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry(":path", "/v1/messages")
        .containsEntry("anthropic-version", "2023-01-01")
        .containsEntry("x-api-key", "sk-test");
  }

  /** Route default/chat: gpt-4o-mini to the native Anthropic API, its key in x-api-key. */
  private static FilterConfig anthropicChat() {
    return Exchanges.oneBackend(
        "chat",
        Exchanges.modelRule("r", "gpt-4o-mini", Exchanges.ref("anthropic.default", 1, 0)),
        new Backend(
            "anthropic.default",
            new ApiSchema(ApiSchema.Name.Anthropic, null, null),
            new BackendAuth.AnthropicApiKey(Exchanges.key("/secrets/openai/apiKey")),
            null));
  }

  @Test
  void aTranslatedAnswerThatIsNotTheProvidersIsA502NotItsBytesUnderA200() throws Exception {
    StreamProcessor p = processor(anthropicChat());
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    p.process(responseHeaders(200, "text/html"));

    // a proxy in front of the provider answered with its own page
    ProcessingResponse answer = p.process(responseBody("<html>login</html>", true));

    assertThat(answer.hasImmediateResponse()).as(answer.toString()).isTrue();
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(502);
    JsonNode error =
        new ObjectMapper().readTree(answer.getImmediateResponse().getBody().toStringUtf8());
    assertThat(error.at("/error/code").asText()).isEqualTo("bad_provider_response");
    assertThat(error.at("/error/type").asText()).isEqualTo("server_error");
    assertThat(p.expectsNothingMore()).isTrue();
    assertThat(observer.completed).extracting(ExchangeSummary::status).containsExactly(502);
    // counted as the failure it is: three such answers in a row eject the backend
    for (int i = 0; i < 2; i++) {
      StreamProcessor again = processor(anthropicChat());
      again.process(requestHeaders("/v1/chat/completions"));
      again.process(requestBody(CHAT));
      again.process(responseHeaders(200, "text/html"));
      again.process(responseBody("<html>login</html>", true));
    }
    assertThat(health.isAvailable("anthropic.default", clock.get())).isFalse();
  }

  @Test
  void theClientsOwnCredentialHeadersGoNoFurtherWhenTheGatewayBringsTheKey() {
    StreamProcessor p = processor(anthropicChat());
    p.process(
        requestHeaders(
            "POST",
            "/v1/chat/completions",
            Map.of("authorization", "Bearer gateway-token-of-the-client"),
            false));

    var headers = p.process(requestBody(CHAT)).getRequestBody().getResponse().getHeaderMutation();

    assertThat(setHeaders(headers)).containsEntry("x-api-key", "sk-test");
    assertThat(headers.getRemoveHeadersList())
        .contains("authorization", "api-key", "x-goog-api-key")
        .doesNotContain("x-api-key");
    // where the key is the authorization header, it is set over the client's, not removed; a
    // client's x-api-key (Claude Code's gateway key) goes no further either
    StreamProcessor openAi = processor(Exchanges.chatRoute());
    openAi.process(requestHeaders("/v1/chat/completions"));
    var openAiHeaders =
        openAi.process(requestBody(CHAT)).getRequestBody().getResponse().getHeaderMutation();
    assertThat(setHeaders(openAiHeaders)).containsEntry("authorization", "Bearer sk-test");
    assertThat(openAiHeaders.getRemoveHeadersList())
        .doesNotContain("authorization")
        .contains("x-api-key", "api-key", "x-goog-api-key");
  }

  @Test
  void aRerankGoesToACohereBackendAndItsTokensBecomeCosts() {
    FilterConfig config =
        Exchanges.oneBackend(
            "rerank",
            Exchanges.modelRule("r", "rerank-v3.5", Exchanges.ref("cohere.default", 1, 0)),
            new Backend(
                "cohere.default",
                new ApiSchema(ApiSchema.Name.Cohere, "v2", null),
                new BackendAuth.ApiKey(Exchanges.key("/secrets/openai/apiKey")),
                null));
    StreamProcessor p = processor(config);
    p.process(requestHeaders("/cohere/v2/rerank"));
    CommonResponse common =
        p.process(
                requestBody(
                    "{\"model\":\"rerank-v3.5\",\"query\":\"q\",\"documents\":[\"a\",\"b\"]}"))
            .getRequestBody()
            .getResponse();
    assertThat(common.hasBodyMutation()).as("passed through").isFalse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry(":path", "/v2/rerank")
        .containsEntry("x-ai-eg-selected-backend", "cohere.default")
        .containsEntry("authorization", "Bearer sk-test");
    p.process(responseHeaders(200, "application/json"));
    ProcessingResponse body =
        p.process(
            responseBody(
                "{\"id\":\"r1\",\"results\":[{\"index\":1,\"relevance_score\":0.9}],"
                    + "\"meta\":{\"billed_units\":{\"search_units\":1},"
                    + "\"tokens\":{\"input_tokens\":21,\"output_tokens\":0}}}",
                true));
    assertThat(body.getResponseBody().getResponse().hasBodyMutation()).isFalse();
    Struct metadata =
        body.getDynamicMetadata().getFieldsOrThrow("io.envoy.ai_gateway").getStructValue();
    assertThat(metadata.getFieldsOrThrow("used_token").getNumberValue()).isEqualTo(21);
    assertThat(metadata.getFieldsOrThrow("weighted").getNumberValue()).isEqualTo(63);
    assertThat(observer.completed.get(0).provider()).isEqualTo("cohere");
    assertThat(observer.completed.get(0).usage().total()).hasValue(21);
  }

  @Test
  void aRerankToABackendOfAnotherSchemaIsRefused() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/cohere/v2/rerank"));
    ProcessingResponse refused = p.process(requestBody("{\"model\":\"gpt-4o-mini\"}"));
    assertThat(refused.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(500);
    assertThat(refused.getImmediateResponse().getBody().toStringUtf8())
        .contains("unsupported_backend_schema");
  }

  @Test
  void theRequestsMetadataAndCostsNameTheCandidateAsUpstreamDoesWithTheAgentSession() {
    FilterConfig base = Exchanges.chatRoute();
    FilterConfig route =
        FilterConfig.of(
            "default",
            "chat",
            List.of(),
            List.of(
                Exchanges.modelRule("first", "gpt-4o-mini", Exchanges.ref("openai.default", 1, 0)),
                Exchanges.modelRule(
                    "named",
                    "gpt-4o",
                    Exchanges.ref("openai.default", 0, 0),
                    Exchanges.ref("other.default", 1, 0))),
            List.of(
                Exchanges.openAi("openai.default", "/secrets/openai/apiKey"),
                Exchanges.openAi("other.default", "/secrets/openai/apiKey")),
            List.of(
                new LlmRequestCost(
                    "this_candidate",
                    LlmRequestCost.Type.CEL,
                    "backend == 'default/other/route/chat/rule/1/ref/1' ? uint(1) : uint(0)")),
            base.models());
    StreamProcessor p = processor(route);
    p.process(
        requestHeaders(
            "POST", "/v1/chat/completions", Map.of("agent-session-id", "session-42"), false));
    ProcessingResponse routed = p.process(requestBody(CHAT.replace("gpt-4o-mini", "gpt-4o")));
    Struct atRequest =
        routed.getDynamicMetadata().getFieldsOrThrow("io.envoy.ai_gateway").getStructValue();
    assertThat(atRequest.getFieldsOrThrow("backend_name").getStringValue())
        .isEqualTo("default/other/route/chat/rule/1/ref/1");
    assertThat(atRequest.getFieldsOrThrow("session.id").getStringValue()).isEqualTo("session-42");
    assertThat(setHeaders(routed.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry("x-envoy-original-path", "/v1/chat/completions")
        .containsEntry("x-ai-eg-original-path", "/v1/chat/completions");

    p.process(responseHeaders(200, "application/json"));
    Struct atEnd =
        p.process(responseBody(COMPLETION_BODY, true))
            .getDynamicMetadata()
            .getFieldsOrThrow("io.envoy.ai_gateway")
            .getStructValue();
    assertThat(atEnd.getFieldsOrThrow("this_candidate").getNumberValue()).isEqualTo(1);
    assertThat(atEnd.getFieldsOrThrow("ai_service_backend_name").getStringValue())
        .isEqualTo("default/other");
  }

  @Test
  void aTranscriptionFormIsRoutedOnItsModelFieldAndJsonThereIsA400() {
    String form =
        "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n"
            + "RIFF\r\n--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
            + "gpt-4o-mini\r\n--xyz--\r\n";
    Map<String, String> multipart = Map.of("content-type", "multipart/form-data; boundary=xyz");
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("POST", "/v1/audio/transcriptions", multipart, false));
    CommonResponse routed = p.process(requestBody(form)).getRequestBody().getResponse();
    assertThat(setHeaders(routed.getHeaderMutation()))
        .containsEntry("x-ai-eg-model", "gpt-4o-mini")
        .containsEntry(":path", "/v1/audio/transcriptions")
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
    assertThat(routed.hasBodyMutation()).as("no override: the form goes as it came").isFalse();

    StreamProcessor json = processor(Exchanges.chatRoute());
    json.process(requestHeaders("/v1/audio/transcriptions"));
    ProcessingResponse refused = json.process(requestBody(CHAT));
    assertThat(refused.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    assertThat(refused.getImmediateResponse().getBody().toStringUtf8())
        .contains("must be multipart/form-data");
  }

  @Test
  void tokenizeIsRoutedOnItsModelAndSentToTheServersRoot() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/tokenize"));
    CommonResponse routed =
        p.process(requestBody("{\"model\":\"gpt-4o-mini\",\"prompt\":\"Hi\"}"))
            .getRequestBody()
            .getResponse();
    assertThat(setHeaders(routed.getHeaderMutation()))
        .containsEntry(":path", "/tokenize")
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
  }

  @Test
  void aBufferedSuccessEmitsCostsAndNamesAsDynamicMetadata() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    ProcessingResponse headers = p.process(responseHeaders(200, "application/json"));
    assertThat(headers.hasModeOverride()).isFalse();
    ProcessingResponse body = p.process(responseBody(COMPLETION_BODY, true));
    assertThat(body.getResponseBody().getResponse().hasBodyMutation()).isFalse();
    Struct metadata =
        body.getDynamicMetadata().getFieldsOrThrow("io.envoy.ai_gateway").getStructValue();
    assertThat(metadata.getFieldsOrThrow("used_token").getNumberValue()).isEqualTo(13);
    assertThat(metadata.getFieldsOrThrow("weighted").getNumberValue()).isEqualTo(46);
    assertThat(metadata.getFieldsOrThrow("model_name_override").getStringValue())
        .isEqualTo("gpt-4o-mini");
    assertThat(metadata.getFieldsOrThrow("ai_service_backend_name").getStringValue())
        .isEqualTo("default/openai");
    assertThat(metadata.getFieldsOrThrow("route_name").getStringValue()).isEqualTo("default/chat");
    assertThat(metadata.getFieldsOrThrow("response_model").getStringValue())
        .isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(metadata.containsFields("token_latency_ttft")).isFalse();
    ExchangeSummary summary = observer.completed.get(0);
    assertThat(summary.status()).isEqualTo(200);
    assertThat(summary.provider())
        .as("gen_ai.provider.name of an OpenAI backend")
        .isEqualTo("openai");
    assertThat(summary.usage().output()).hasValue(7);
    assertThat(summary.usage().cachedInput()).hasValue(3);
    assertThat(summary.usage().reasoning()).hasValue(2);
  }

  @Test
  void aStreamIsSwitchedToStreamedAndReportsTokenLatencies() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse request = p.process(requestBody(CHAT_STREAM)).getRequestBody().getResponse();
    assertThat(request.hasBodyMutation()).as("include_usage injected").isTrue();
    clock.addAndGet(200_000_000L);
    ProcessingResponse headers = p.process(responseHeaders(200, "text/event-stream"));
    assertThat(headers.getModeOverride().getResponseBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.STREAMED);
    assertThat(
            headers.getResponseHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .contains("content-length");
    p.process(
        responseBody(
            "data: {\"model\":\"m-1\",\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", false));
    clock.addAndGet(40_000_000L);
    p.process(
        responseBody(
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}\n\n",
            false));
    ProcessingResponse end = p.process(responseBody("data: [DONE]\n\n", true));
    Struct metadata =
        end.getDynamicMetadata().getFieldsOrThrow("io.envoy.ai_gateway").getStructValue();
    assertThat(metadata.getFieldsOrThrow("token_latency_ttft").getNumberValue()).isEqualTo(200.0);
    assertThat(metadata.getFieldsOrThrow("token_latency_itl").getNumberValue()).isEqualTo(10.0);
    assertThat(metadata.getFieldsOrThrow("used_token").getNumberValue()).isEqualTo(5);
    assertThat(metadata.getFieldsOrThrow("response_model").getStringValue()).isEqualTo("m-1");
  }

  @Test
  void anInjectedUsageChunkIsHiddenFromTheClient() throws Exception {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    JsonNode sent =
        json(
            p.process(requestBody(CHAT_STREAM))
                .getRequestBody()
                .getResponse()
                .getBodyMutation()
                .getBody());
    assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    p.process(responseHeaders(200, "text/event-stream"));
    String content = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n";
    String usage =
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n";
    ProcessingResponse first = p.process(responseBody(content + usage.substring(0, 20), false));
    ProcessingResponse second =
        p.process(responseBody(usage.substring(20) + "data: [DONE]\n\n", true));
    String seen =
        first.getResponseBody().getResponse().getBodyMutation().getBody().toStringUtf8()
            + second.getResponseBody().getResponse().getBodyMutation().getBody().toStringUtf8();
    assertThat(seen).isEqualTo(content + "data: [DONE]\n\n");
    Struct metadata =
        second.getDynamicMetadata().getFieldsOrThrow("io.envoy.ai_gateway").getStructValue();
    assertThat(metadata.getFieldsOrThrow("token_latency_itl").getNumberValue())
        .as("one output token has no gap to time, and the key is there all the same")
        .isZero();
  }

  @Test
  void aStreamedCompletionIsNotAskedForUsageItDidNotRequest() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/completions"));
    CommonResponse routed =
        p.process(requestBody("{\"model\":\"gpt-4o-mini\",\"prompt\":\"Hi\",\"stream\":true}"))
            .getRequestBody()
            .getResponse();
    assertThat(routed.hasBodyMutation())
        .as("include_usage is injected on chat completions only")
        .isFalse();
    assertThat(setHeaders(routed.getHeaderMutation()))
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
  }

  @Test
  void usageTheClientAskedForIsPassedThroughUntouched() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    String asked =
        CHAT_STREAM.replace(
            "\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    assertThat(p.process(requestBody(asked)).getRequestBody().getResponse().hasBodyMutation())
        .isFalse();
    p.process(responseHeaders(200, "text/event-stream"));
    ProcessingResponse chunk =
        p.process(
            responseBody(
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5}}\n\ndata: [DONE]\n\n",
                true));
    assertThat(chunk.getResponseBody().getResponse().hasBodyMutation()).isFalse();
  }

  @Test
  void anUpstreamErrorPassesThroughWithoutMetadataAndCountsAgainstTheBackend() {
    for (int i = 0; i < PassiveHealthPolicy.DEFAULT.consecutive5xx(); i++) {
      StreamProcessor p = processor(Exchanges.chatRoute());
      p.process(requestHeaders("/v1/chat/completions"));
      p.process(requestBody(CHAT));
      p.process(responseHeaders(503, "application/json"));
      ProcessingResponse body =
          p.process(responseBody("{\"error\":{\"message\":\"overloaded\"}}", true));
      assertThat(body.getResponseBody().getResponse().hasBodyMutation()).isFalse();
      assertThat(body.hasDynamicMetadata()).isFalse();
    }
    assertThat(health.isAvailable("openai.default", clock.get())).isFalse();
  }

  @Test
  void aMissingCredentialRefusesTheRequestWithoutNamingTheValue() throws Exception {
    credentials = CredentialSource.none();
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse reply = p.process(requestBody(CHAT));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(500);
    assertThat(json(reply.getImmediateResponse().getBody()).at("/error/code").asText())
        .isEqualTo("missing_upstream_credential");
    assertThat(observer.credentialProblems)
        .singleElement()
        .asString()
        .contains("/secrets/openai/apiKey");
  }

  @Test
  void messagesOutOfOrderArePassedThrough() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    ProcessingResponse reply = p.process(responseBody("x", true));
    assertThat(reply.hasResponseBody()).isTrue();
    assertThat(reply.getResponseBody().getResponse().hasBodyMutation()).isFalse();
  }

  @Test
  void aGetOnChatCompletionsIsRefused() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    ProcessingResponse reply =
        p.process(requestHeaders("GET", "/v1/chat/completions", Map.of(), true));
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(405);
  }

  /** Route default/chat as {@link Exchanges#chatRoute()}, with {@code costs} instead of its own. */
  private static FilterConfig chatRouteCosting(List<LlmRequestCost> costs) {
    FilterConfig chat = Exchanges.chatRoute();
    return FilterConfig.of(
        chat.routeNamespace(),
        chat.routeName(),
        chat.hostnames(),
        chat.rules(),
        chat.backends(),
        costs,
        chat.models());
  }

  @Test
  void withoutCostRulesAStreamIsForwardedAsTheClientSentIt() {
    StreamProcessor p = processor(chatRouteCosting(List.of()));
    p.process(requestHeaders("/v1/chat/completions"));
    CommonResponse request = p.process(requestBody(CHAT_STREAM)).getRequestBody().getResponse();
    assertThat(request.hasBodyMutation()).as("no include_usage without a cost to count").isFalse();
    assertThat(setHeaders(request.getHeaderMutation()))
        .containsEntry("x-ai-eg-selected-backend", "openai.default");
    ProcessingResponse headers = p.process(responseHeaders(200, "text/event-stream"));
    assertThat(headers.getModeOverride().getResponseBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.STREAMED);
  }

  @Test
  void everyTokenCostTypeReportsItsOwnFigure() {
    StreamProcessor p =
        processor(
            chatRouteCosting(
                List.of(
                    new LlmRequestCost("input", LlmRequestCost.Type.InputToken, null),
                    new LlmRequestCost("cached", LlmRequestCost.Type.CachedInputToken, null),
                    new LlmRequestCost(
                        "cache_creation", LlmRequestCost.Type.CacheCreationInputToken, null),
                    new LlmRequestCost("output", LlmRequestCost.Type.OutputToken, null),
                    new LlmRequestCost("total", LlmRequestCost.Type.TotalToken, null),
                    new LlmRequestCost("reasoning", LlmRequestCost.Type.ReasoningToken, null))));
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    p.process(responseHeaders(200, "application/json"));
    String completion =
        "{\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":13,"
            + "\"completion_tokens\":7,\"total_tokens\":21,\"prompt_tokens_details\":"
            + "{\"cached_tokens\":3,\"cache_creation_input_tokens\":5},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}";
    Struct metadata =
        p.process(responseBody(completion, true))
            .getDynamicMetadata()
            .getFieldsOrThrow("io.envoy.ai_gateway")
            .getStructValue();
    Map<String, Double> costs = new TreeMap<>();
    for (String key :
        List.of("input", "cached", "cache_creation", "output", "total", "reasoning")) {
      costs.put(key, metadata.getFieldsOrThrow(key).getNumberValue());
    }
    assertThat(costs)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "input", 13.0,
                "cached", 3.0,
                "cache_creation", 5.0,
                "output", 7.0,
                "total", 21.0,
                "reasoning", 2.0));
  }

  @Test
  void completionsAndEmbeddingsAreRoutedOnTheirOwnPathsAndCounted() {
    Map<String, String> bodies =
        Map.of(
            "/v1/completions", "{\"model\":\"gpt-4o-mini\",\"prompt\":\"Hi\"}",
            "/v1/embeddings", "{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}");
    bodies.forEach(
        (path, request) -> {
          StreamProcessor p = processor(Exchanges.chatRoute());
          p.process(requestHeaders(path));
          CommonResponse routed = p.process(requestBody(request)).getRequestBody().getResponse();
          assertThat(setHeaders(routed.getHeaderMutation()))
              .as(path)
              .containsEntry("x-ai-eg-selected-backend", "openai.default")
              .containsEntry(":path", path)
              .containsEntry("authorization", "Bearer sk-test");
          p.process(responseHeaders(200, "application/json"));
          Struct metadata =
              p.process(
                      responseBody(
                          "{\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}",
                          true))
                  .getDynamicMetadata()
                  .getFieldsOrThrow("io.envoy.ai_gateway")
                  .getStructValue();
          assertThat(metadata.getFieldsOrThrow("used_token").getNumberValue())
              .as(path)
              .isEqualTo(4);
        });
    assertThat(observer.errors).isEmpty();
  }

  @Test
  void aStreamedRequestAnsweredWithAnErrorStaysBuffered() {
    StreamProcessor p = processor(Exchanges.chatRoute());
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT_STREAM));
    ProcessingResponse headers = p.process(responseHeaders(500, "application/json"));
    assertThat(headers.hasModeOverride()).as("an error body is read whole").isFalse();
    ProcessingResponse body = p.process(responseBody("{\"error\":{\"message\":\"boom\"}}", true));
    assertThat(body.getResponseBody().getResponse().hasBodyMutation()).isFalse();
    assertThat(body.hasDynamicMetadata()).isFalse();
  }
}
