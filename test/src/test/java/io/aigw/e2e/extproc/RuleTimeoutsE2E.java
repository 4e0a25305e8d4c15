package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two rules of one route name one backend with different timeouts: through {@code aigw run} and the
 * bootstrap {@code aigw envoy-bootstrap} prints for it (the Envoy-like proxy routing by that
 * bootstrap's route table), each request gets its own rule's timeout.
 */
class RuleTimeoutsE2E {

  /** How long the provider takes to answer: more than the hasty rule's 1s, far less than 60s. */
  private static final long ANSWER_AFTER_MS = 2_000;

  private static final String ANSWER =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,\
      "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],\
      "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

  @TempDir Path dir;
  @TempDir Path data;
  private final Vertx vertx = Vertx.vertx();
  private final List<String> received = new CopyOnWriteArrayList<>();

  private RunBehindProxy run;

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void eachRuleNamingOneBackendKeepsItsOwnTimeout() throws Exception {
    HttpServer slow =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              received.add(request.getHeader("x-aigw-backend-rule"));
                              vertx.setTimer(
                                  ANSWER_AFTER_MS,
                                  id ->
                                      request
                                          .response()
                                          .putHeader("content-type", "application/json")
                                          .end(ANSWER));
                            }))
            .listen(0, "127.0.0.1")
            .await();
    Files.writeString(dir.resolve("chat.yaml"), manifests(slow.actualPort()));
    run = RunBehindProxy.start(vertx, dir, data);
    EnvoyLikeProxy proxy = run.proxy();

    HttpResponse<String> patient = chat(proxy, "patient", null);
    assertThat(patient.statusCode()).as(patient.body()).isEqualTo(200);
    assertThat(patient.body()).contains("\"content\":\"hi\"");

    HttpResponse<String> hasty = chat(proxy, "hasty", null);
    assertThat(hasty.statusCode())
        .as("the hasty rule's 1s passed before the provider answered")
        .isEqualTo(504);
    assertThat(hasty.body()).isEqualTo("upstream request timeout");

    HttpResponse<String> claimed = chat(proxy, "patient", "1s");
    assertThat(claimed.statusCode())
        .as("a client's own backend-rule header is removed, so it cannot pick another rule")
        .isEqualTo(200);
    assertThat(received)
        .as("the backend-rule header that took the hasty rule stays in the gateway")
        .containsExactly(null, null, null);
    assertThat(proxy.exchanges())
        .extracting(RecordedExchange::status)
        .containsExactly(200, 504, 200);
  }

  private static HttpResponse<String> chat(EnvoyLikeProxy proxy, String model, String backendRule)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    if (backendRule != null) {
      request.header("x-aigw-backend-rule", backendRule);
    }
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String manifests(int providerPort) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat, namespace: default}
        spec:
          parentRefs: [{name: gateway, kind: Gateway, group: gateway.networking.k8s.io}]
          rules:
            - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: patient}]}]
              backendRefs: [{name: slow}]
            - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: hasty}]}]
              backendRefs: [{name: slow}]
              timeouts: {request: 1s}
        """
        + RunBehindProxy.openAiBackend("slow", providerPort);
  }
}
