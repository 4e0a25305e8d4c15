package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.projections.desired.ExtProcSettings;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aigw run} with {@code AIGW_ROOT_PREFIX=/ai} behind the Envoy-like proxy: the official
 * OpenAI client, given {@code /ai/v1} as its base URL, chats (a recorded exchange replayed) and
 * lists models; the provider is asked at its own path; the paths without the prefix are not served.
 */
class RootPrefixE2E {

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
  void theOpenAiClientReachesTheGatewayUnderTheRootPrefixAndNowhereElse() throws Exception {
    FakeProvider provider = new FakeProvider(vertx).start().await();
    Files.writeString(dir.resolve("chat.yaml"), manifests(provider.port()));
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
              .create(
                  ChatCompletionCreateParams.builder()
                      .model(GatewayFixture.MODEL)
                      .addUserMessage("Hello!")
                      .build());
      FakeProvider.Interaction recorded = FakeProvider.cassette("chat-basic");
      assertThat(completion.id())
          .isEqualTo(new ObjectMapper().readTree(recorded.responseBody()).get("id").asText());
      // the provider is asked at its own path, the recorded request's
      assertThat(provider.received)
          .extracting(FakeProvider.Received::path)
          .containsExactly("/v1/chat/completions");
      assertThat(client.models().list().data())
          .extracting(Model::id)
          .containsExactly(GatewayFixture.MODEL);
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
    assertThat(claudeModels.body())
        .contains("\"type\":\"model\"")
        .contains("\"id\":\"" + GatewayFixture.MODEL + "\"");
    assertThat(provider.received).hasSize(1);
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
                        "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
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
            - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: %s}]}]
              backendRefs: [{name: provider}]
        """
            .formatted(GatewayFixture.MODEL)
        + RunBehindProxy.openAiBackend("provider", providerPort);
  }
}
