package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.COMPLETION_BODY;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.responseBody;
import static io.aigw.extproc.processor.Exchanges.responseHeaders;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.BackendQuota.ClientBucket;
import io.aigw.core.filterconfig.BackendQuota.HeaderSelector;
import io.aigw.core.filterconfig.BackendQuota.ModelQuota;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.extproc.auth.CredentialSource;
import io.aigw.extproc.quota.QuotaLedger;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** QuotaPolicy budgets as the processor applies them when it picks a backend. */
class QuotaRoutingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // 10:15 UTC: 45 minutes before the hourly windows end
  private static final Instant QUARTER_PAST = Instant.parse("2026-11-29T10:15:00Z");

  private final RecordingObserver observer = new RecordingObserver();
  private final BackendHealth health = new BackendHealth(PassiveHealthPolicy.DEFAULT);
  private final QuotaLedger ledger = new QuotaLedger();
  private final CredentialSource credentials = file -> Optional.of("sk-test");
  private Instant now = QUARTER_PAST;

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /**
   * gpt-4o-mini → primary (priority 0, 30 tokens an hour for gpt-4o-mini, a vip bucket of 100) then
   * spare (priority 1, 20 tokens an hour for the model it is sent, gpt-4o-mini-spare).
   */
  private static FilterConfig route() {
    return route("total_tokens");
  }

  /** {@link #route()} with the primary's quota costed by {@code cost}. */
  private static FilterConfig route(String cost) {
    ClientBucket vip =
        new ClientBucket(
            List.of(new HeaderSelector("x-tenant", HeaderSelector.Type.Exact, "vip", false)),
            100,
            "1h",
            false);
    BackendQuota primary =
        new BackendQuota(
            null,
            List.of(
                new ModelQuota(
                    "gpt-4o-mini",
                    "default/q",
                    cost,
                    new ClientBucket(List.of(), 30, "1h", false),
                    List.of(vip))));
    BackendQuota spare =
        new BackendQuota(
            null,
            List.of(
                new ModelQuota(
                    "gpt-4o-mini-spare",
                    "default/spare",
                    "total_tokens",
                    new ClientBucket(List.of(), 20, "1h", false),
                    List.of())));
    ApiSchema openAi = new ApiSchema(ApiSchema.Name.OpenAI, null, "v1");
    BackendAuth key = new BackendAuth.ApiKey(Exchanges.key("/secrets/openai/apiKey"));
    return Exchanges.with(
        Exchanges.chatRoute(),
        null,
        null,
        List.of(
            Exchanges.modelRule(
                "rule/0",
                "gpt-4o-mini",
                Exchanges.ref("primary.default", 1, 0),
                new RuleBackend("spare.default", 1, 1, "gpt-4o-mini-spare", null, null))),
        List.of(
            new Backend("primary.default", openAi, key, null, primary),
            new Backend("spare.default", openAi, key, null, spare)));
  }

  private StreamProcessor processor() {
    return processor(route());
  }

  private StreamProcessor processor(FilterConfig config) {
    RoutingTable table = FilterConfigAdapter.toRoutingTable(List.of(config)).table();
    return new StreamProcessor(
        table,
        new ProcessorEnvironment(
            System::nanoTime,
            () -> 0.5,
            credentials,
            health,
            observer,
            clock,
            RequestBodyBudget.ofHeap(),
            RequestTracer.OFF,
            ledger));
  }

  /** Sends a chat; answers it with {@code status} (20 tokens when 200); the backend it went to. */
  private String exchange(Map<String, String> headers, int status) {
    StreamProcessor p = processor();
    p.process(requestHeaders("POST", "/v1/chat/completions", headers, false));
    ProcessingResponse routed = p.process(requestBody(CHAT));
    String backend =
        setHeaders(routed.getRequestBody().getResponse().getHeaderMutation())
            .get("x-ai-eg-selected-backend");
    p.process(responseHeaders(status, "application/json"));
    p.process(responseBody(status == 200 ? COMPLETION_BODY : "{\"error\":{}}", true));
    return backend;
  }

  private ImmediateResponse refused(Map<String, String> headers) {
    StreamProcessor p = processor();
    p.process(requestHeaders("POST", "/v1/chat/completions", headers, false));
    ProcessingResponse reply = p.process(requestBody(CHAT));
    assertThat(reply.hasImmediateResponse()).as("refused, not routed").isTrue();
    return reply.getImmediateResponse();
  }

  @Test
  void aSpentBackendIsPassedOverThenEveryCandidateSpentIs429UntilTheWindowEnds() throws Exception {
    assertThat(exchange(Map.of(), 200)).isEqualTo("primary.default"); // 20 of 30
    assertThat(exchange(Map.of(), 200)).isEqualTo("primary.default"); // 40 of 30
    assertThat(exchange(Map.of(), 200))
        .as("the primary's budget is spent: the spare, whose budget is of its own model")
        .isEqualTo("spare.default");

    ImmediateResponse refused = refused(Map.of());
    assertThat(refused.getStatus().getCodeValue()).isEqualTo(429);
    assertThat(setHeaders(refused.getHeaders())).containsEntry("retry-after", "2700");
    JsonNode error = JSON.readTree(refused.getBody().toStringUtf8()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("quota_exceeded");
    assertThat(error.path("message").asText())
        .contains("gpt-4o-mini")
        .contains("rule/0")
        .contains("(QuotaPolicy default/q, default/spare)")
        .contains("2700 s");
    assertThat(observer.completed.get(observer.completed.size() - 1).status()).isEqualTo(429);

    now = Instant.parse("2026-11-29T11:00:00Z");
    assertThat(exchange(Map.of(), 200)).as("a new window").isEqualTo("primary.default");
    assertThat(observer.errors).isEmpty();
  }

  @Test
  void onAnthropicsApiThe429IsAnthropicShaped() throws Exception {
    exchange(Map.of(), 200);
    exchange(Map.of(), 200);
    exchange(Map.of(), 200); // both backends spent
    StreamProcessor p = processor();
    p.process(requestHeaders("POST", "/anthropic/v1/messages", Map.of(), false));
    ProcessingResponse reply =
        p.process(
            requestBody(
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
    ImmediateResponse refused = reply.getImmediateResponse();
    assertThat(refused.getStatus().getCodeValue()).isEqualTo(429);
    JsonNode body = JSON.readTree(refused.getBody().toStringUtf8());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(setHeaders(refused.getHeaders())).containsKey("retry-after");
  }

  @Test
  void theModelQuotasCostIsInTheMetadataAsQuotaCost() {
    StreamProcessor p = processor(route("input_tokens + output_tokens * 4u"));
    p.process(requestHeaders("POST", "/v1/chat/completions", Map.of(), false));
    p.process(requestBody(CHAT));
    p.process(responseHeaders(200, "application/json"));
    ProcessingResponse end = p.process(responseBody(COMPLETION_BODY, true));
    // 13 input and 7 output tokens: 13 + 28
    assertThat(
            end.getDynamicMetadata()
                .getFieldsOrThrow("io.envoy.ai_gateway")
                .getStructValue()
                .getFieldsOrThrow("quota_cost")
                .getNumberValue())
        .isEqualTo(41);
  }

  @Test
  void aClientWithABucketOfItsOwnKeepsThePrimaryWhenOthersAreSentOn() {
    exchange(Map.of("x-tenant", "vip"), 200);
    exchange(Map.of("x-tenant", "vip"), 200); // the default bucket: 40 of 30
    assertThat(exchange(Map.of("x-tenant", "vip"), 200)).isEqualTo("primary.default");
    assertThat(exchange(Map.of("x-tenant", "team-b"), 200)).isEqualTo("spare.default");
  }

  @Test
  void aStreamOfARouteWithoutCostsAsksForItsUsageAndDrawsIt() {
    FilterConfig withCosts = route();
    FilterConfig noCosts =
        FilterConfig.of(
            withCosts.routeNamespace(),
            withCosts.routeName(),
            withCosts.hostnames(),
            withCosts.rules(),
            withCosts.backends(),
            List.of(),
            withCosts.models());
    StreamProcessor p = processor(noCosts);
    p.process(requestHeaders("POST", "/v1/chat/completions", Map.of(), false));
    ProcessingResponse routed = p.process(requestBody(Exchanges.CHAT_STREAM));
    assertThat(routed.getRequestBody().getResponse().getBodyMutation().getBody().toStringUtf8())
        .as("the budget needs the usage, which a stream gives only when asked")
        .contains("\"include_usage\":true");
    p.process(responseHeaders(200, "text/event-stream"));
    p.process(
        responseBody(
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":15,"
                + "\"total_tokens\":35}}\n\n",
            false));
    p.process(responseBody("data: [DONE]\n\n", true));

    // 35 of the primary's 30: the next request goes to the spare
    assertThat(exchange(Map.of(), 200)).isEqualTo("spare.default");
  }

  @Test
  void aBackendWithoutBudgetsTakesTheRequestsOnceTheBudgetedOneIsSpentAndNoneIs429() {
    FilterConfig base = route();
    Backend primary = base.backends().get(0);
    Backend unbudgeted = new Backend("spare.default", primary.schema(), primary.auth(), null, null);
    FilterConfig config = Exchanges.with(base, null, null, null, List.of(primary, unbudgeted));
    for (int i = 0; i < 5; i++) {
      StreamProcessor p = processor(config);
      p.process(requestHeaders("POST", "/v1/chat/completions", Map.of(), false));
      ProcessingResponse routed = p.process(requestBody(CHAT));
      assertThat(routed.hasImmediateResponse()).isFalse();
      String backend =
          setHeaders(routed.getRequestBody().getResponse().getHeaderMutation())
              .get("x-ai-eg-selected-backend");
      assertThat(backend).isEqualTo(i < 2 ? "primary.default" : "spare.default");
      p.process(responseHeaders(200, "application/json"));
      p.process(responseBody(COMPLETION_BODY, true));
    }
  }

  @Test
  void aStreamTheClientBreaksOffDrawsNothing() {
    StreamProcessor p = processor();
    p.process(requestHeaders("POST", "/v1/chat/completions", Map.of(), false));
    p.process(requestBody(Exchanges.CHAT_STREAM));
    p.process(responseHeaders(200, "text/event-stream"));
    p.process(responseBody("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", false));
    p.streamClosed();
    assertThat(ledger.size()).isZero();
    assertThat(observer.completed.get(0).status()).isEqualTo(200);
  }

  @Test
  void anAnswerThatFailsDrawsNothing() {
    for (int i = 0; i < 5; i++) {
      assertThat(exchange(Map.of(), 503)).isEqualTo("primary.default");
      // passive health would eject it after failures: keep it healthy to count only quotas
      health.record("primary.default", 200, System.nanoTime());
    }
    assertThat(ledger.size()).isZero();
    assertThat(exchange(Map.of(), 200)).isEqualTo("primary.default");
  }
}
