package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.projections.desired.ExtProcSettings;
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
 * {@code aigw run} with {@code AIGW_ROOT_PREFIX=/ai} behind the Envoy-like proxy: the official
 * OpenAI client, given {@code /ai/v1} as its base URL, chats and lists models; the provider is
 * asked at its own path; the paths without the prefix are not served.
 */
class RootPrefixE2E {

  private static final String ANSWER =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,\
      "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],\
      "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

  @TempDir Path dir;
  @TempDir Path data;
  private final Vertx vertx = Vertx.vertx();
  private final List<String> providerPaths = new CopyOnWriteArrayList<>();

  private RunBehindProxy run;

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theOpenAiClientReachesTheGatewayUnderTheRootPrefixAndNowhereElse() throws Exception {
    HttpServer provider =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  providerPaths.add(request.path());
                  request
                      .body()
                      .onSuccess(
                          body ->
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .end(ANSWER));
                })
            .listen(0, "127.0.0.1")
            .await();
    Files.writeString(dir.resolve("chat.yaml"), manifests(provider.actualPort()));
    run =
        RunBehindProxy.start(
            vertx, dir, data, ExtProcSettings.DEFAULT.withApiPaths(ApiPaths.parse("/ai", "")));
    String gateway = "http://127.0.0.1:" + run.proxy().port();

    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway + "/ai/v1")
            .apiKey("sk-client")
            .maxRetries(0)
            .build();
    try {
      ChatCompletion completion =
          client
              .chat()
              .completions()
              .create(ChatCompletionCreateParams.builder().model("m").addUserMessage("hi").build());
      assertThat(completion.choices().get(0).message().content()).hasValue("hi");
      assertThat(providerPaths).containsExactly("/v1/chat/completions");
      assertThat(client.models().list().data()).extracting(Model::id).containsExactly("m");
    } finally {
      client.close();
    }

    HttpResponse<String> unprefixed = post(gateway + "/v1/chat/completions");
    assertThat(unprefixed.statusCode()).isEqualTo(400);
    assertThat(unprefixed.body()).contains("unsupported path: /v1/chat/completions");
    // Anthropic's API under the same root, at its family's prefix
    HttpResponse<String> claudeModels =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway + "/ai/anthropic/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(claudeModels.statusCode()).isEqualTo(200);
    assertThat(claudeModels.body()).contains("\"type\":\"model\"").contains("\"id\":\"m\"");
    assertThat(providerPaths).hasSize(1);
  }

  private static HttpResponse<String> post(String url) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String manifests(int providerPort) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat, namespace: default}
        spec:
          parentRefs: [{name: gateway}]
          rules:
            - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: m}]}]
              backendRefs: [{name: provider}]
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIServiceBackend
        metadata: {name: provider, namespace: default}
        spec:
          schema: {name: OpenAI}
          backendRef: {name: provider, kind: Backend, group: gateway.envoyproxy.io}
        ---
        apiVersion: gateway.envoyproxy.io/v1alpha1
        kind: Backend
        metadata: {name: provider, namespace: default}
        spec:
          endpoints: [{ip: {address: 127.0.0.1, port: %d}}]
        """
        .formatted(providerPort);
  }
}
