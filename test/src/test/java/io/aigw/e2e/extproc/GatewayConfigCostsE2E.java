package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
 * The global costs of a GatewayConfig reach the requests of the routes of the Gateway that names
 * it, through {@code aigw run} and the Envoy-like proxy: each request's dynamic metadata carries
 * them, a route's own cost with the same key wins, and the costs follow the GatewayConfig when it
 * changes.
 */
class GatewayConfigCostsE2E {

  private static final String ANSWER =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,\
      "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],\
      "usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}""";

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
  void aGatewayConfigsGlobalCostsAreRecordedForItsRoutesRequests() throws Exception {
    HttpServer provider =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body ->
                                request
                                    .response()
                                    .putHeader("content-type", "application/json")
                                    .end(ANSWER)))
            .listen(0, "127.0.0.1")
            .await();
    Files.writeString(dir.resolve("chat.yaml"), manifests(provider.actualPort()));
    Files.writeString(dir.resolve("gateway-config.yaml"), gatewayConfig("input_tokens * uint(2)"));
    run = RunBehindProxy.start(vertx, dir, data);
    EnvoyLikeProxy proxy = run.proxy();

    assertThat(chat(proxy).statusCode()).isEqualTo(200);
    RecordedExchange first = proxy.exchanges().get(0);
    // the route's own total_token counts output tokens; the global one with that key is ignored
    assertThat(first.number("total_token")).isEqualTo(12);
    assertThat(first.number("billing")).isEqualTo(60);
    assertThat(first.number("input")).isEqualTo(30);

    Files.writeString(dir.resolve("gateway-config.yaml"), gatewayConfig("output_tokens"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              chat(proxy);
              RecordedExchange last = proxy.exchanges().get(proxy.exchanges().size() - 1);
              return last.hasMetadata("billing") && last.number("billing") == 12;
            });
  }

  private static HttpResponse<String> chat(EnvoyLikeProxy proxy) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String gatewayConfig(String billing) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: GatewayConfig
        metadata: {name: shared, namespace: default}
        spec:
          globalLLMRequestCosts:
          - {metadataKey: total_token, type: TotalToken}
          - {metadataKey: billing, type: CEL, cel: "%s"}
          - {metadataKey: input, type: InputToken}
        """
        .formatted(billing);
  }

  private static String manifests(int providerPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gateway
          namespace: default
          annotations: {aigateway.envoyproxy.io/gateway-config: shared}
        spec:
          gatewayClassName: eg
          listeners: [{name: http, protocol: HTTP, port: 80}]
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat, namespace: default}
        spec:
          parentRefs: [{name: gateway}]
          rules:
            - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: m}]}]
              backendRefs: [{name: provider}]
          llmRequestCosts: [{metadataKey: total_token, type: OutputToken}]
        """
        + RunBehindProxy.openAiBackend("provider", providerPort);
  }
}
