package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.models.ModelInfo;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Anthropic Java SDK on {@code /anthropic/v1/messages} through the Envoy-like proxy
 * and the ExtProc to Anthropic itself: the body passes untouched, the key comes from the mounted
 * Secret instead of the client's, the client's {@code anthropic-version} is forwarded, usage is
 * read from the message or from {@code message_start}/{@code message_delta}.
 */
class AnthropicProviderE2E {

  private static final String MODEL = "claude-sonnet-4-5";
  private static final String BACKEND_KEY = "sk-ant-backend-1";
  private static final String ANTHROPIC_VERSION = "2023-06-01";

  private static final String MESSAGE =
      "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"Hello! How can I help?\"}],\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":8,"
          + "\"cache_read_input_tokens\":2,\"cache_creation_input_tokens\":0}}";

  private static final List<String> STREAMED_TEXT = List.of("Hel", "lo", " from", " Claude");

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint anthropic;
  private AnthropicClient client;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("anthropic-key");
    Files.writeString(key, BACKEND_KEY + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.route(
                MODEL,
                "anthropic",
                new ApiSchema(ApiSchema.Name.Anthropic, null, "v1"),
                new BackendAuth.AnthropicApiKey(
                    ProviderGateway.credential(key, "anthropic", "apiKey")),
                null));
    anthropic = FakeEndpoint.start(gateway.vertx(), AnthropicProviderE2E::answer);
    gateway.route("anthropic.default", anthropic.port());
    client =
        AnthropicOkHttpClient.builder()
            .baseUrl(gateway.origin() + "/anthropic")
            .apiKey("sk-ant-client")
            .replaceHeaders("anthropic-version", ANTHROPIC_VERSION)
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    anthropic.close();
    gateway.close();
  }

  /** Anthropic's checks on the headers, then a message or its event stream. */
  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    if (!request.headers().containsKey("anthropic-version")) {
      error(response, 400, "invalid_request_error", "anthropic-version: header is required");
    } else if (!BACKEND_KEY.equals(request.headers().get("x-api-key"))) {
      error(response, 401, "authentication_error", "invalid x-api-key");
    } else if (request.uri().equals("/v1/messages/count_tokens")) {
      response.putHeader("content-type", "application/json").end("{\"input_tokens\":14}");
    } else if (request.json().path("stream").asBoolean(false)) {
      response.putHeader("content-type", "text/event-stream").setChunked(true);
      byte[] body = events().getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < body.length; at += 53) {
        response.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 53))));
      }
      response.end();
    } else {
      response.putHeader("content-type", "application/json").end(MESSAGE);
    }
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            "{\"type\":\"error\",\"error\":{\"type\":\""
                + type
                + "\",\"message\":\""
                + message
                + "\"}}");
  }

  private static String events() {
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
            + "\"output_tokens\":1,\"cache_read_input_tokens\":5,"
            + "\"cache_creation_input_tokens\":0}}}");
    event(
        sse,
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
            + "\"text\":\"\"}}");
    event(sse, "ping", "{\"type\":\"ping\"}");
    for (String text : STREAMED_TEXT) {
      event(
          sse,
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
              + "\"text\":\""
              + text
              + "\"}}");
    }
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(
        sse,
        "message_delta",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}");
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    return sse.toString();
  }

  private static void event(StringBuilder sse, String type, String json) {
    sse.append("event: ").append(type).append("\ndata: ").append(json).append("\n\n");
  }

  private static MessageCreateParams hello() {
    return MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(256)
        .system("Be brief.")
        .addUserMessage("Hello!")
        .build();
  }

  @Test
  void aBufferedMessageGoesThroughWithTheSecretsKeyAndReportsItsTokens() throws Exception {
    Message message = client.messages().create(hello());

    assertThat(message.content())
        .map(AnthropicProviderE2E::text)
        .containsExactly("Hello! How can I help?");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(12);

    FakeEndpoint.Received received = anthropic.requests().get(0);
    assertThat(received.uri()).isEqualTo("/v1/messages");
    assertThat(received.headers())
        .containsEntry("x-api-key", BACKEND_KEY)
        .containsEntry("anthropic-version", ANTHROPIC_VERSION);
    assertThat(received.json().path("model").asText()).isEqualTo(MODEL);
    assertThat(received.json().path("system").asText()).isEqualTo("Be brief.");
    assertThat(received.json().path("max_tokens").asInt()).isEqualTo(256);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("anthropic.default");
    assertThat(exchange.number("input_token")).isEqualTo(14);
    assertThat(exchange.number("cached_input_token")).isEqualTo(2);
    assertThat(exchange.number("output_token")).isEqualTo(8);
    assertThat(exchange.number("total_token")).isEqualTo(22);
    assertThat(exchange.string("response_model")).isEqualTo("claude-sonnet-4-5-20250929");
  }

  @Test
  void aStreamedMessageArrivesEventByEventWithUsageFromStartAndDelta() throws Exception {
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client.messages().createStreaming(hello())) {
      stream.stream().forEach(events::add);
    }
    String text =
        events.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().text().stream())
            .map(t -> t.text())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(String.join("", STREAMED_TEXT));
    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();

    FakeEndpoint.Received received = anthropic.requests().get(0);
    assertThat(received.json().path("stream").asBoolean()).isTrue();
    assertThat(received.headers()).containsEntry("x-api-key", BACKEND_KEY);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(30);
    assertThat(exchange.number("cached_input_token")).isEqualTo(5);
    assertThat(exchange.number("output_token")).isEqualTo(15);
    assertThat(exchange.number("total_token")).isEqualTo(45);
  }

  @Test
  void theGatewayAddsNoAnthropicVersionSoAClientWithoutOneGetsAnthropicsOwnError()
      throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.origin() + "/anthropic/v1/messages"))
                    .header("content-type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\""
                                + MODEL
                                + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"Hello!\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("anthropic-version: header is required");
    assertThat(anthropic.requests().get(0).headers())
        .doesNotContainKey("anthropic-version")
        .containsEntry("x-api-key", BACKEND_KEY);
    assertThat(gateway.exchanges().get(0).status()).isEqualTo(400);
  }

  @Test
  void aModelNoRuleMatchesIsTheSdksNotFoundErrorOfAnthropicsType() {
    NotFoundException error =
        catchThrowableOfType(
            NotFoundException.class,
            () -> client.messages().create(hello().toBuilder().model("claude-unrouted").build()));

    assertThat(error.type()).hasValue(ErrorType.NOT_FOUND_ERROR);
    assertThat(error.apiMessage())
        .hasValue(
            "no matching route found for model \"claude-unrouted\" on /anthropic/v1/messages");
    assertThat(anthropic.requests()).isEmpty();
    assertThat(gateway.exchanges().get(0).status()).isEqualTo(404);
  }

  @Test
  void aTokenCountGoesToAnthropicsCountTokensAndIsTheRequestsInputUsage() throws Exception {
    MessageTokensCount count =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model(MODEL)
                    .system("Be brief.")
                    .addUserMessage("Hello!")
                    .build());

    assertThat(count.inputTokens()).isEqualTo(14);
    FakeEndpoint.Received received = anthropic.requests().get(0);
    assertThat(received.uri()).isEqualTo("/v1/messages/count_tokens");
    assertThat(received.headers()).containsEntry("x-api-key", BACKEND_KEY);
    assertThat(received.json().path("model").asText()).isEqualTo(MODEL);
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.number("input_token")).isEqualTo(14);
  }

  @Test
  void theModelsApiListsTheRouteModelsWithoutReachingAnthropic() {
    List<ModelInfo> models = new ArrayList<>();
    client.models().list().autoPager().forEach(models::add);

    assertThat(models).extracting(ModelInfo::id).containsExactly(MODEL);
    assertThat(models.get(0).displayName()).isEqualTo(MODEL);
    assertThat(models.get(0).createdAt())
        .isEqualTo(OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    assertThat(anthropic.requests()).isEmpty();
    assertThat(gateway.exchanges().get(0).status()).isEqualTo(200);
    assertThat(gateway.exchanges().get(0).selectedBackend()).isEmpty();
  }

  private static String text(ContentBlock block) {
    return block.text().map(t -> t.text()).orElse("");
  }
}
