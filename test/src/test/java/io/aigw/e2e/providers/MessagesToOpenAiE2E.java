package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code's API, Anthropic's Messages, served by an OpenAI-compatible backend (vLLM, OpenAI)
 * through chat completions, with the official Anthropic SDK: the message and its tool use, a stream
 * turned event by event into Anthropic's, and an OpenAI error read as Anthropic's.
 */
class MessagesToOpenAiE2E {

  private static final String MODEL = "qwen3-coder";
  private static final String BACKEND_KEY = "sk-vllm";

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint vllm;
  private AnthropicClient client;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, BACKEND_KEY + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.alsoServing(
                ProviderGateway.route(
                    MODEL,
                    "vllm",
                    new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
                    new BackendAuth.ApiKey(ProviderGateway.credential(key, "vllm", "apiKey")),
                    null),
                "missing"));
    vllm = FakeEndpoint.start(gateway.vertx(), MessagesToOpenAiE2E::answer);
    gateway.route("vllm.default", vllm.port());
    client = gateway.anthropicClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    vllm.close();
    gateway.close();
  }

  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    JsonNode chat = request.json();
    if (!request.uri().equals("/v1/chat/completions")) {
      response.setStatusCode(404).end();
    } else if (chat.path("model").asText().equals("missing")) {
      response
          .setStatusCode(404)
          .putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"Model not found\",\"type\":\"not_found_error\"}}");
    } else if (chat.path("stream").asBoolean(false)) {
      response.putHeader("content-type", "text/event-stream").setChunked(true);
      byte[] body = streamedToolUse().getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < body.length; at += 45) {
        response.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 45))));
      }
      response.end();
    } else {
      response
          .putHeader("content-type", "application/json")
          .end(
              "{\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion\","
                  + "\"created\":1741570283,\"model\":\"qwen3-coder-30b\",\"choices\":[{\"index\":0,"
                  + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help?\"},"
                  + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,"
                  + "\"completion_tokens\":10,\"total_tokens\":29,\"prompt_tokens_details\":"
                  + "{\"cached_tokens\":4}}}");
    }
  }

  /** A chat stream with some text, then one tool call whose arguments come in pieces. */
  private static String streamedToolUse() {
    String head =
        "{\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"model\":\"qwen3-coder-30b\",";
    return "data: "
        + head
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me \"}}]}\n\n"
        + "data: "
        + head
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"check.\"}}]}\n\n"
        + "data: "
        + head
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":\"\"}}]}}]}\n\n"
        + "data: "
        + head
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        + "\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n"
        + "data: "
        + head
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        + "\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}}]}\n\n"
        + "data: "
        + head
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
        + "data: "
        + head
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":17,"
        + "\"total_tokens\":57}}\n\n"
        + "data: [DONE]\n\n";
  }

  private static MessageCreateParams.Builder hello() {
    return MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(256)
        .system("Be brief.")
        .addUserMessage("Hello!");
  }

  @Test
  void aMessageIsAskedAsAChatCompletionAndItsAnswerComesBackAsAMessage() {
    Message message = client.messages().create(hello().build());

    assertThat(message.content())
        .map(block -> block.text().map(t -> t.text()).orElse(""))
        .containsExactly("Hello! How can I help?");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(15);
    assertThat(message.usage().cacheReadInputTokens()).hasValue(4L);
    assertThat(message.usage().outputTokens()).isEqualTo(10);

    FakeEndpoint.Received received = vllm.requests().get(0);
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + BACKEND_KEY);
    assertThat(received.headers()).doesNotContainKey("x-api-key");
    JsonNode chat = received.json();
    assertThat(chat.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(chat.at("/messages/0/content").asText()).isEqualTo("Be brief.");
    assertThat(chat.at("/messages/1/content").asText()).isEqualTo("Hello!");
    assertThat(chat.path("max_completion_tokens").asInt()).isEqualTo(256);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.number("input_token")).isEqualTo(19);
    assertThat(exchange.number("cached_input_token")).isEqualTo(4);
    assertThat(exchange.number("output_token")).isEqualTo(10);
    assertThat(exchange.string("response_model")).isEqualTo("qwen3-coder-30b");
  }

  @Test
  void aStreamedToolUseArrivesAsAnthropicEventsWithTheArgumentsInPieces() {
    Tool weather =
        Tool.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .inputSchema(
                Tool.InputSchema.builder()
                    .properties(
                        Tool.InputSchema.Properties.builder()
                            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                            .build())
                    .required(List.of("city"))
                    .build())
            .build();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (var stream = client.messages().createStreaming(hello().addTool(weather).build())) {
      stream.stream().forEach(events::add);
    }

    String text =
        events.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().text().stream())
            .map(t -> t.text())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("Let me check.");
    String arguments =
        events.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().inputJson().stream())
            .map(j -> j.partialJson())
            .collect(Collectors.joining());
    assertThat(arguments).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events)
        .filteredOn(RawMessageStreamEvent::isContentBlockStart)
        .extracting(e -> e.contentBlockStart().orElseThrow().contentBlock().isToolUse())
        .containsExactly(false, true);
    var delta = events.get(events.size() - 2).messageDelta().orElseThrow();
    assertThat(delta.delta().stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(delta.usage().outputTokens()).isEqualTo(17);
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    // the SDK's own accumulator, which needs each block's events under its index, makes the message
    MessageAccumulator accumulator = MessageAccumulator.create();
    events.forEach(accumulator::accumulate);
    Message whole = accumulator.message();
    assertThat(whole.content()).hasSize(2);
    assertThat(whole.content().get(0).text().orElseThrow().text()).isEqualTo("Let me check.");
    var toolUse = whole.content().get(1).toolUse().orElseThrow();
    assertThat(toolUse.id()).isEqualTo("call_1");
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(toolUse._input().toString()).contains("Paris");
    assertThat(whole.stopReason()).hasValue(StopReason.TOOL_USE);

    JsonNode chat = vllm.requests().get(0).json();
    assertThat(chat.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(chat.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(chat.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("city");
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(40);
    assertThat(exchange.number("output_token")).isEqualTo(17);
  }

  @Test
  void anOpenAiErrorIsAnAnthropicErrorOfItsTypeAndMessage() {
    assertThatThrownBy(() -> client.messages().create(hello().model("missing").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Model not found");
    assertThat(vllm.requests()).as("the backend's own 404").hasSize(1);
  }
}
