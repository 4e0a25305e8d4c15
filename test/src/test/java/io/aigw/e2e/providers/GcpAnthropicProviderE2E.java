package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.completions.CompletionUsage;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude on Vertex AI through the Envoy-like proxy and the ExtProc, from the official OpenAI Java
 * SDK (chat completions translated into Messages) and from the official Anthropic Java SDK (the
 * Messages API passed on): {@code rawPredict} and {@code streamRawPredict} under the policy's
 * project and region, {@code anthropic_version} in the body instead of {@code model}, the bearer
 * token from the mounted token file.
 */
class GcpAnthropicProviderE2E {

  private static final String MODEL = "claude-sonnet";
  private static final String VERTEX_MODEL = "claude-sonnet-4-5@20250929";
  private static final String PROJECT = "aigw-e2e-project";
  private static final String REGION = "us-east5";
  private static final String VERSION = "vertex-2023-10-16";
  private static final String TOKEN = "ya29.c.claude-TOKEN-1";
  private static final String MODEL_PATH =
      "/v1/projects/"
          + PROJECT
          + "/locations/"
          + REGION
          + "/publishers/anthropic/models/"
          + VERTEX_MODEL;

  private static final String MESSAGE =
      "{\"id\":\"msg_vrtx_01PZ8ZbUTi3w1XAYn3gHiBcu\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"Hello! How can I help you today?\"}],\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":14,"
          + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4,"
          + "\"output_tokens\":12}}";

  private static final List<String> STREAMED_TEXT = List.of("Hi", " there", ", what's up?");

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint vertex;
  private OpenAIClient openAi;
  private AnthropicClient anthropic;

  @BeforeEach
  void start() throws Exception {
    Path token = dir.resolve("gcp-access-token");
    Files.writeString(token, TOKEN + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.route(
                MODEL,
                "gcp-anthropic",
                new ApiSchema(ApiSchema.Name.GCPAnthropic, VERSION, null),
                new BackendAuth.Gcp(
                    PROJECT,
                    REGION,
                    null,
                    ProviderGateway.credential(token, "gcp-anthropic", "gcpAccessToken")),
                VERTEX_MODEL));
    vertex = FakeEndpoint.start(gateway.vertx(), GcpAnthropicProviderE2E::answer);
    gateway.route("gcp-anthropic.default", vertex.port());
    openAi = gateway.openAiClient();
    anthropic = gateway.anthropicClient();
  }

  @AfterEach
  void stop() throws Exception {
    openAi.close();
    anthropic.close();
    vertex.close();
    gateway.close();
  }

  /** Vertex's checks (token, path, version, no model), then a message or its event stream. */
  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    JsonNode body = request.json();
    if (!("Bearer " + TOKEN).equals(request.headers().get("authorization"))) {
      response
          .setStatusCode(401)
          .putHeader("content-type", "application/json; charset=UTF-8")
          .end(
              "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
                  + " credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
    } else if (!VERSION.equals(body.path("anthropic_version").asText())) {
      error(response, "anthropic_version: Field required");
    } else if (body.has("model")) {
      error(response, "model: Extra inputs are not permitted");
    } else if (request.uri().equals(MODEL_PATH + ":rawPredict")
        && !body.path("stream").asBoolean(false)) {
      response.putHeader("content-type", "application/json").end(MESSAGE);
    } else if (request.uri().equals(MODEL_PATH + ":streamRawPredict")
        && body.path("stream").asBoolean(false)) {
      response.putHeader("content-type", "text/event-stream; charset=utf-8").setChunked(true);
      byte[] sse = (body.has("tools") ? toolEvents() : events()).getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < sse.length; at += 41) {
        response.write(Buffer.buffer(Arrays.copyOfRange(sse, at, Math.min(sse.length, at + 41))));
      }
      response.end();
    } else {
      error(response, "unexpected " + request.uri() + " for stream " + body.path("stream"));
    }
  }

  private static void error(HttpServerResponse response, String message) {
    response
        .setStatusCode(400)
        .putHeader("content-type", "application/json")
        .end(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
                + message
                + "\"}}");
  }

  private static String events() {
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_vrtx_01Hx7s2p\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":21,"
            + "\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":0,"
            + "\"output_tokens\":1}}}");
    event(sse, "ping", "{\"type\": \"ping\"}");
    event(
        sse,
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
            + "\"text\":\"\"}}");
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
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":11}}");
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    return sse.toString();
  }

  /** Claude saying what it will do, then calling a tool with its input streamed in pieces. */
  private static String toolEvents() {
    StringBuilder sse = new StringBuilder();
    event(
        sse,
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_vrtx_01Tool\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":380,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
            + "\"output_tokens\":4}}}");
    event(
        sse,
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
            + "\"text\":\"\"}}");
    event(
        sse,
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"I'll check the weather.\"}}");
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(
        sse,
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
            + "\"id\":\"toolu_vrtx_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\",\"input\":{}}}");
    for (String piece : List.of("", "{\\\"city\\\": \\\"Par", "is\\\"}")) {
      event(
          sse,
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
              + "\"partial_json\":\""
              + piece
              + "\"}}");
    }
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    event(
        sse,
        "message_delta",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":58}}");
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    return sse.toString();
  }

  private static void event(StringBuilder sse, String type, String json) {
    sse.append("event: ").append(type).append("\ndata: ").append(json).append("\n\n");
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder()
        .model(MODEL)
        .addSystemMessage("Be brief.")
        .addUserMessage("Hello!")
        .maxCompletionTokens(64)
        .temperature(0.5)
        .build();
  }

  private static MessageCreateParams message() {
    return MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(256)
        .system("Be brief.")
        .addUserMessage("Hello!")
        .build();
  }

  @Test
  void anOpenAiChatBecomesARawPredictMessageAndItsAnswerAChatCompletion() throws Exception {
    ChatCompletion completion = openAi.chat().completions().create(chat());

    assertThat(completion.id()).isEqualTo("msg_vrtx_01PZ8ZbUTi3w1XAYn3gHiBcu");
    assertThat(completion.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(completion.choices().get(0).message().content())
        .hasValue("Hello! How can I help you today?");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    CompletionUsage usage = completion.usage().orElseThrow();
    // Anthropic counts cache reads apart from input_tokens; the prompt includes them
    assertThat(usage.promptTokens()).isEqualTo(18);
    assertThat(usage.completionTokens()).isEqualTo(12);
    assertThat(usage.totalTokens()).isEqualTo(30);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(4L);

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":rawPredict");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    JsonNode body = received.json();
    assertThat(body.path("anthropic_version").asText()).isEqualTo(VERSION);
    assertThat(body.has("model")).isFalse();
    assertThat(body.has("stream")).isFalse();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(body.at("/system/0/type").asText()).isEqualTo("text");
    assertThat(body.at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(body.path("messages")).hasSize(1);
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("Hello!");

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("gcp-anthropic.default");
    assertThat(exchange.modeOverride()).isFalse();
    assertThat(exchange.number("input_token")).isEqualTo(18);
    assertThat(exchange.number("cached_input_token")).isEqualTo(4);
    assertThat(exchange.number("output_token")).isEqualTo(12);
    assertThat(exchange.number("total_token")).isEqualTo(30);
    assertThat(exchange.string("model_name_override")).isEqualTo(VERTEX_MODEL);
    assertThat(exchange.string("response_model")).isEqualTo("claude-sonnet-4-5-20250929");
  }

  @Test
  void aStreamedOpenAiChatGoesToStreamRawPredictAndComesBackAsChatChunksWithUsage()
      throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    ChatCompletionCreateParams params =
        chat().toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    try (var stream = openAi.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(String.join("", STREAMED_TEXT));
    assertThat(chunks)
        .flatMap(ChatCompletionChunk::choices)
        .anySatisfy(
            c ->
                assertThat(c.finishReason())
                    .hasValue(ChatCompletionChunk.Choice.FinishReason.STOP));
    CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(24);
    assertThat(usage.completionTokens()).isEqualTo(11);
    assertThat(usage.totalTokens()).isEqualTo(35);

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":streamRawPredict");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    assertThat(received.json().path("stream").asBoolean()).isTrue();
    assertThat(received.json().path("anthropic_version").asText()).isEqualTo(VERSION);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(24);
    assertThat(exchange.number("output_token")).isEqualTo(11);
    assertThat(exchange.number("total_token")).isEqualTo(35);
    assertThat(exchange.hasMetadata("token_latency_ttft")).isTrue();
  }

  @Test
  void aMessagesApiRequestKeepsItsBodyButTradesModelForAnthropicVersion() throws Exception {
    Message message = anthropic.messages().create(message());

    assertThat(message.id()).isEqualTo("msg_vrtx_01PZ8ZbUTi3w1XAYn3gHiBcu");
    assertThat(message.content())
        .map(GcpAnthropicProviderE2E::text)
        .containsExactly("Hello! How can I help you today?");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(14);

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":rawPredict");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    JsonNode body = received.json();
    assertThat(body.path("anthropic_version").asText()).isEqualTo(VERSION);
    assertThat(body.has("model")).isFalse();
    assertThat(body.path("system").asText()).isEqualTo("Be brief.");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(body.at("/messages/0/content").asText()).isEqualTo("Hello!");

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("gcp-anthropic.default");
    assertThat(exchange.number("input_token")).isEqualTo(18);
    assertThat(exchange.number("cached_input_token")).isEqualTo(4);
    assertThat(exchange.number("output_token")).isEqualTo(12);
    assertThat(exchange.number("total_token")).isEqualTo(30);
    assertThat(exchange.string("response_model")).isEqualTo("claude-sonnet-4-5-20250929");
  }

  @Test
  void aStreamedMessagesApiRequestPassesVertexEventsThroughAndReportsTheirUsage() throws Exception {
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (var stream = anthropic.messages().createStreaming(message())) {
      stream.stream().forEach(events::add);
    }
    String text =
        events.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().text().stream())
            .map(t -> t.text())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(String.join("", STREAMED_TEXT));
    assertThat(events.get(0).messageStart().orElseThrow().message().id())
        .isEqualTo("msg_vrtx_01Hx7s2p");
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":streamRawPredict");
    assertThat(received.json().path("stream").asBoolean()).isTrue();
    assertThat(received.json().has("model")).isFalse();

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(24);
    assertThat(exchange.number("output_token")).isEqualTo(11);
    assertThat(exchange.number("total_token")).isEqualTo(35);
  }

  @Test
  void aStreamedToolUseArrivesAsOneToolCallWhoseArgumentsAreTheJoinedInputPieces()
      throws Exception {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model(MODEL)
            .addUserMessage("What is the weather in Paris?")
            .maxCompletionTokens(512)
            .addTool(
                ChatCompletionFunctionTool.builder()
                    .function(
                        FunctionDefinition.builder()
                            .name("get_weather")
                            .description("Current weather in a city")
                            .parameters(
                                FunctionParameters.builder()
                                    .putAdditionalProperty(
                                        "properties",
                                        JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                    .putAdditionalProperty(
                                        "required", JsonValue.from(List.of("city")))
                                    .build())
                            .build())
                    .build())
            .toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO)
            .build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (var stream = openAi.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    List<ChatCompletionChunk.Choice.Delta.ToolCall> calls =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .flatMap(c -> c.delta().toolCalls().stream().flatMap(List::stream))
            .toList();
    assertThat(calls).extracting(c -> c.index()).containsOnly(0L);
    assertThat(calls.get(0).id()).hasValue("toolu_vrtx_01A09q90qw90lq917835lq9");
    assertThat(calls.get(0).function().flatMap(f -> f.name())).hasValue("get_weather");
    String arguments =
        calls.stream()
            .map(c -> c.function().flatMap(f -> f.arguments()).orElse(""))
            .collect(Collectors.joining());
    assertThat(arguments).isEqualTo("{\"city\": \"Paris\"}");
    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("I'll check the weather.");
    assertThat(chunks)
        .flatMap(ChatCompletionChunk::choices)
        .anySatisfy(
            c ->
                assertThat(c.finishReason())
                    .hasValue(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS));

    JsonNode body = vertex.requests().get(0).json();
    assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
    assertThat(body.at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");
    assertThat(body.at("/tool_choice/type").asText()).isEqualTo("auto");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(512);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.number("input_token")).isEqualTo(380);
    assertThat(exchange.number("output_token")).isEqualTo(58);
  }

  @Test
  void vertexRefusingARevokedTokenReachesBothClientsAs401() throws Exception {
    Files.writeString(dir.resolve("gcp-access-token"), "ya29.revoked\n");
    // a later modification time than the first write, so the credential source reloads it
    Files.setLastModifiedTime(
        dir.resolve("gcp-access-token"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> openAi.chat().completions().create(chat()))
                    .isInstanceOfSatisfying(
                        UnauthorizedException.class,
                        e ->
                            assertThat(e.getMessage())
                                .contains("Request had invalid authentication credentials")));
    assertThatThrownBy(() -> anthropic.messages().create(message()))
        .isInstanceOfSatisfying(
            com.anthropic.errors.UnauthorizedException.class,
            e -> assertThat(e.statusCode()).isEqualTo(401));
    List<FakeEndpoint.Received> requests = vertex.requests();
    assertThat(requests.get(requests.size() - 1).headers())
        .containsEntry("authorization", "Bearer ya29.revoked");
    RecordedExchange exchange = gateway.exchanges().get(gateway.exchanges().size() - 1);
    assertThat(exchange.status()).isEqualTo(401);
    assertThat(exchange.hasMetadata("input_token")).isFalse();
  }

  private static String text(ContentBlock block) {
    return block.text().map(t -> t.text()).orElse("");
  }
}
