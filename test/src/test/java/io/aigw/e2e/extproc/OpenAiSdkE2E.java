package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.aigw.core.filterconfig.FilterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK against the Envoy-like proxy, the ExtProc and a recorded provider.
 */
class OpenAiSdkE2E {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private GatewayFixture gateway;
  private FakeProvider provider;
  private OpenAIClient client;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("openai-key");
    java.nio.file.Files.writeString(key, "sk-backend-1\n");
    FilterConfig config =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(
                    GatewayFixture.MODEL, GatewayFixture.ref("openai.default", 1, 0))),
            List.of(GatewayFixture.backend("openai.default", key)));
    gateway = new GatewayFixture(dir, config);
    provider = gateway.provider("openai.default");
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl())
            .apiKey("sk-client")
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
  }

  private static ChatCompletionCreateParams.Builder hello() {
    return ChatCompletionCreateParams.builder()
        .model(GatewayFixture.MODEL)
        .addUserMessage("Hello!");
  }

  @Test
  void aBufferedChatReachesTheProviderUnchangedAndReportsItsTokens() throws Exception {
    ChatCompletion completion = client.chat().completions().create(hello().build());

    FakeProvider.Interaction recorded = FakeProvider.cassette("chat-basic");
    JsonNode expected = JSON.readTree(recorded.responseBody());
    assertThat(completion.id()).isEqualTo(expected.get("id").asText());
    assertThat(completion.choices().get(0).message().content())
        .hasValue(expected.at("/choices/0/message/content").asText());

    FakeProvider.Received received = provider.received.get(0);
    assertThat(received.path()).isEqualTo("/v1/chat/completions");
    assertThat(received.json()).isEqualTo(recorded.body());
    assertThat(received.headers()).containsEntry("authorization", "Bearer sk-backend-1");
    assertThat(received.headers()).containsEntry("x-ai-eg-model", GatewayFixture.MODEL);

    RecordedExchange exchange = gateway.proxy.exchanges.get(0);
    assertThat(exchange.selectedBackend()).hasValue("openai.default");
    assertThat(exchange.modeOverride()).isFalse();
    assertThat(exchange.number("used_token")).isEqualTo(8);
    assertThat(exchange.number("output_token")).isEqualTo(377);
    assertThat(exchange.number("cost")).isEqualTo(8 * 2 + 377);
    assertThat(exchange.string("response_model")).isEqualTo("gpt-5-nano-2025-08-07");
    assertThat(exchange.string("route_name")).isEqualTo("default/chat");
    assertThat(exchange.string("ai_service_backend_name")).isEqualTo("default/openai");
    // emitted with the routing answer, so a log line has it whatever the response became
    assertThat(exchange.string("backend_name")).isEqualTo("default/openai/route/chat/rule/0/ref/0");
    assertThat(gateway.metrics.scrape()).contains("gen_ai_client_token_usage_token_sum{");
  }

  @Test
  void aStreamedChatArrivesWholeWithoutTheUsageChunkTheGatewayAskedFor() throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(hello().build())) {
      stream.stream().forEach(chunks::add);
    }
    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
    String recorded = FakeProvider.cassette("chat-streaming").responseBody();
    StringBuilder expected = new StringBuilder();
    for (String line : recorded.lines().filter(l -> l.startsWith("data: {")).toList()) {
      JsonNode delta = JSON.readTree(line.substring(6)).at("/choices/0/delta/content");
      expected.append(delta.isTextual() ? delta.asText() : "");
    }
    assertThat(text).isNotEmpty().isEqualTo(expected.toString());
    assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
    assertThat(chunks).hasSize((int) recorded.lines().filter(l -> l.startsWith("data: {")).count());

    assertThat(provider.received.get(0).json().at("/stream_options/include_usage").asBoolean())
        .isTrue();
    RecordedExchange exchange = gateway.proxy.exchanges.get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("used_token")).isEqualTo(8);
    assertThat(exchange.number("output_token")).isEqualTo(30);
    assertThat(exchange.hasMetadata("token_latency_ttft")).isTrue();
    assertThat(exchange.hasMetadata("token_latency_itl")).isTrue();
  }

  @Test
  void aClientThatAsksForStreamedUsageGetsIt() {
    ChatCompletionCreateParams params =
        hello()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(8);
  }

  @Test
  void untracedTheGatewayPassesTheClientsTraceContextOnUntouched() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    client
        .chat()
        .completions()
        .create(
            hello()
                .putAdditionalHeader("traceparent", traceparent)
                .putAdditionalHeader("tracestate", "vendor=1")
                .build());

    assertThat(provider.received.get(0).headers())
        .containsEntry("traceparent", traceparent)
        .containsEntry("tracestate", "vendor=1");
  }

  @Test
  void listsTheRouteModelsAndRefusesWhatItCannotRoute() {
    List<String> models = new ArrayList<>();
    client.models().list().autoPager().forEach(m -> models.add(m.id()));
    assertThat(models).containsExactly(GatewayFixture.MODEL);

    assertThatThrownBy(
            () -> client.chat().completions().create(hello().model("no-such-model").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(
            "no matching route found for model \\\"no-such-model\\\""
                .replace("\\\\", "\\")
                .replace("\\\"", "\""));
    assertThat(provider.received).isEmpty();
  }

  @Test
  void aMalformedBodyIsA400FromTheGatewayItself() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.baseUrl() + "/chat/completions"))
                .header("content-type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-5-nano\",\"messages\":[}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_json");
    assertThat(provider.received).isEmpty();
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder().model("").addUserMessage("x").build()))
        .isInstanceOf(BadRequestException.class);
  }

  @SuppressWarnings("unused")
  private static String id(Model model) {
    return model.id();
  }
}
