package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes while the gateway runs: a rotated credential file, a new config during a stream. */
class ReloadE2E {

  @TempDir Path dir;

  @Test
  void aRotatedCredentialFileIsUsedWithoutARestart() throws Exception {
    Path key = dir.resolve("key");
    java.nio.file.Files.writeString(key, "sk-old");
    FilterConfig config =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(
                    GatewayFixture.MODEL, GatewayFixture.ref("openai.default", 1, 0))),
            List.of(GatewayFixture.backend("openai.default", key)));
    try (GatewayFixture gateway = new GatewayFixture(dir, config)) {
      FakeProvider provider = gateway.provider("openai.default");
      Requests requests = new Requests(gateway.baseUrl());
      assertThat(requests.chat().statusCode()).isEqualTo(200);
      assertThat(provider.received.get(0).headers())
          .containsEntry("authorization", "Bearer sk-old");

      gateway.writeKey("key", "sk-new");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                assertThat(requests.chat().statusCode()).isEqualTo(200);
                return provider
                    .received
                    .get(provider.received.size() - 1)
                    .headers()
                    .get("authorization")
                    .equals("Bearer sk-new");
              });
      for (int i = 0; i < 5; i++) {
        assertThat(requests.chat().statusCode()).isEqualTo(200);
      }
      assertThat(provider.received.subList(provider.received.size() - 5, provider.received.size()))
          .allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer sk-new"));
    }
  }

  @Test
  void aStreamInFlightFinishesOnTheConfigItStartedWithWhileNewRequestsUseTheNewOne()
      throws Exception {
    Path key = dir.resolve("key");
    java.nio.file.Files.writeString(key, "sk");
    FilterConfig toA =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(GatewayFixture.MODEL, GatewayFixture.ref("a.default", 1, 0))),
            List.of(GatewayFixture.backend("a.default", key)));
    FilterConfig routeB =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(GatewayFixture.MODEL, GatewayFixture.ref("b.default", 1, 0))),
            List.of(GatewayFixture.backend("b.default", key)));
    // its own cost key, so the metadata tells which config a response was counted under
    FilterConfig toB =
        FilterConfig.of(
            routeB.routeNamespace(),
            routeB.routeName(),
            routeB.hostnames(),
            routeB.rules(),
            routeB.backends(),
            List.of(new LlmRequestCost("b_output_token", LlmRequestCost.Type.OutputToken, null)),
            routeB.models());
    try (GatewayFixture gateway = new GatewayFixture(dir, toA)) {
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .baseUrl(gateway.baseUrl())
              .apiKey("sk-client")
              .maxRetries(0)
              .build();
      FakeProvider a = gateway.provider("a.default");
      FakeProvider b = gateway.provider("b.default");
      a.behaviour = FakeProvider.Behaviour.HOLD_LAST_PIECE;
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model(GatewayFixture.MODEL)
              .addUserMessage("Hello!")
              .build();
      CompletableFuture<String> streamed =
          CompletableFuture.supplyAsync(
              () -> {
                try (StreamResponse<ChatCompletionChunk> stream =
                    client.chat().completions().createStreaming(params)) {
                  return stream.stream()
                      .flatMap(c -> c.choices().stream())
                      .map(c -> c.delta().content().orElse(""))
                      .collect(Collectors.joining());
                }
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 1);
      String before = gateway.configSource.appliedDigest();
      gateway.writeConfig(toB);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !gateway.configSource.appliedDigest().equals(before));
      assertThat(streamed).as("the stream is still running").isNotDone();

      assertThat(new Requests(gateway.baseUrl()).chat().statusCode()).isEqualTo(200);
      assertThat(b.received).hasSize(1);
      RecordedExchange next = gateway.proxy.exchanges.get(gateway.proxy.exchanges.size() - 1);
      assertThat(next.hasMetadata("b_output_token")).isTrue();
      assertThat(next.hasMetadata("output_token")).isFalse();

      a.releaseHeldPiece();
      assertThat(streamed.get()).isNotEmpty();
      RecordedExchange stream = gateway.proxy.exchanges.get(gateway.proxy.exchanges.size() - 1);
      assertThat(stream.modeOverride()).isTrue();
      assertThat(stream.selectedBackend()).hasValue("a.default");
      assertThat(stream.string("ai_service_backend_name")).isEqualTo("default/a");
      assertThat(stream.number("output_token")).isEqualTo(30);
      assertThat(stream.hasMetadata("b_output_token")).isFalse();
      assertThat(a.received).hasSize(1);
      client.close();
    }
  }
}
