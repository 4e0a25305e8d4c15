package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QuotaPolicies in {@code aigw run} behind the Envoy-like proxy: the official OpenAI client's chats
 * (the recorded chat-basic exchange, 385 tokens each) go to the primary backend until its hourly
 * budget is spent, then to the spare one, and once that is spent too the client gets a 429 it reads
 * as a rate limit, with {@code retry-after}.
 */
class QuotaPolicyE2E {

  @TempDir Path dir;
  @TempDir Path data;
  private final Vertx vertx = Vertx.vertx();

  private RunBehindProxy run;

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void chatsMoveToTheSpareBackendWhenThePrimarysBudgetIsSpentThenAre429() throws Exception {
    FakeProvider provider = new FakeProvider(vertx).start().await();
    Files.writeString(dir.resolve("chat.yaml"), manifests(provider.port()));
    run = RunBehindProxy.start(vertx, dir, data);
    awayFromAnHoursEnd();

    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + run.proxy().port() + "/v1")
            .apiKey("sk-client")
            .maxRetries(0)
            .build();
    ChatCompletionCreateParams chat =
        ChatCompletionCreateParams.builder()
            .model(GatewayFixture.MODEL)
            .addUserMessage("Hello!")
            .build();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(client.chat().completions().create(chat).usage().get().totalTokens())
            .isEqualTo(385);
      }
      RateLimitException refused =
          catchThrowableOfType(
              () -> client.chat().completions().create(chat), RateLimitException.class);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.code()).contains("quota_exceeded");
      int retryAfter = Integer.parseInt(refused.headers().values("retry-after").get(0));
      assertThat(retryAfter).isBetween(1, 3600);
    } finally {
      client.close();
    }

    // 385 of 700, 770 of 700: spent; then the spare's 377 output tokens of 1; the fourth chat is
    // answered by the gateway, routed nowhere
    assertThat(run.proxy().exchanges())
        .extracting(exchange -> exchange.selectedBackend().orElse("-"), RecordedExchange::status)
        .containsExactly(
            tuple("primary.default", 200),
            tuple("primary.default", 200),
            tuple("spare.default", 200),
            tuple("-", 429));
    assertThat(provider.received).hasSize(3);

    // the admin port's metrics show each bucket's use: the primary's model bucket, the spare's
    // service budget (377 output tokens, its cost)
    String metrics =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + run.gateway().admin().port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains(
            "aigw_extproc_quota_used_tokens{backend=\"default/primary\",bucket=\"default\","
                + "model=\""
                + GatewayFixture.MODEL
                + "\",policy=\"default/primary-budget\",window=\"1h\"}"
                + " 770.0")
        .contains(
            "aigw_extproc_quota_used_tokens{backend=\"default/spare\",bucket=\"service\",model=\"\","
                + "policy=\"default/spare-budget\",window=\"1d\"} 377.0");
  }

  /**
   * The budgets are hourly and daily: four chats across the end of an hour would find them afresh,
   * so a run that starts in an hour's last half minute waits for the next.
   */
  private static void awayFromAnHoursEnd() {
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> 3_600_000L - System.currentTimeMillis() % 3_600_000L > 30_000L);
  }

  private static String manifests(int providerPort) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat, namespace: default}
        spec:
          parentRefs: [{name: gateway}]
          rules:
            - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: %1$s}]}]
              backendRefs: [{name: primary, priority: 0}, {name: spare, priority: 1}]
        ---
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: QuotaPolicy
        metadata: {name: primary-budget, namespace: default}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: primary}]
          perModelQuotas:
            - modelName: %1$s
              quota: {defaultBucket: {limit: 700, duration: 1h}}
        ---
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: QuotaPolicy
        metadata: {name: spare-budget, namespace: default}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: spare}]
          serviceQuota:
            costExpression: output_tokens
            quota: {limit: 1, duration: 1d}
        """
            .formatted(GatewayFixture.MODEL)
        + RunBehindProxy.openAiBackend("primary", providerPort)
        + RunBehindProxy.openAiBackend("spare", providerPort);
  }
}
