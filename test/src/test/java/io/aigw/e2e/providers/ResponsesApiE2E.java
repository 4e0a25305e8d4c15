package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's Responses API, which the OpenAI SDKs and agent frameworks use in place of chat
 * completions, through the gateway to an OpenAI backend: the official SDK buffered and streamed,
 * the body passed on as the client sent it, and the usage the answer ends with accounted.
 */
class ResponsesApiE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gpt-4.1";
  private static final String RESPONSE_MODEL = "gpt-4.1-2025-04-14";
  private static final String BACKEND_KEY = "sk-openai-backend";
  private static final List<String> STREAMED_TEXT = List.of("Hel", "lo", " from", " Responses");

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint openAi;
  private OpenAIClient client;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("openai-key");
    Files.writeString(key, BACKEND_KEY + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.route(
                MODEL,
                "openai",
                new ApiSchema(ApiSchema.Name.OpenAI, "v1", null),
                new BackendAuth.ApiKey(ProviderGateway.credential(key, "openai", "apiKey")),
                null));
    openAi = FakeEndpoint.start(gateway.vertx(), ResponsesApiE2E::answer);
    gateway.route("openai.default", openAi.port());
    client = gateway.openAiClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    openAi.close();
    gateway.close();
  }

  /** OpenAI's Responses API: a response, or its event stream cut into small writes. */
  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    if (!request.uri().equals("/v1/responses")) {
      response.setStatusCode(404).end();
    } else if (request.json().path("stream").asBoolean(false)) {
      response.putHeader("content-type", "text/event-stream").setChunked(true);
      byte[] body = events().getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < body.length; at += 61) {
        response.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 61))));
      }
      response.end();
    } else {
      response
          .putHeader("content-type", "application/json")
          .end(response("completed", "Hello! How can I help?", usage(36, 4, 87, 12)));
    }
  }

  private static String usage(int input, int cached, int output, int reasoning) {
    return "{\"input_tokens\":"
        + input
        + ",\"input_tokens_details\":{\"cached_tokens\":"
        + cached
        + "},\"output_tokens\":"
        + output
        + ",\"output_tokens_details\":{\"reasoning_tokens\":"
        + reasoning
        + "},\"total_tokens\":"
        + (input + output)
        + "}";
  }

  /** A response object as OpenAI's API reference shows one. */
  private static String response(String status, String text, String usage) {
    String output =
        text == null
            ? "[]"
            : "[{\"type\":\"message\",\"id\":\"msg_67ccd2bf17f0819081ff3bb2cf6508e6\","
                + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\""
                + text
                + "\",\"annotations\":[]}]}]";
    return "{\"id\":\"resp_67ccd2bed1ec8190b14f964abc054267\",\"object\":\"response\","
        + "\"created_at\":1741476542,\"status\":\""
        + status
        + "\",\"error\":null,\"incomplete_details\":null,\"instructions\":null,"
        + "\"max_output_tokens\":null,\"model\":\""
        + RESPONSE_MODEL
        + "\",\"output\":"
        + output
        + ",\"parallel_tool_calls\":true,\"previous_response_id\":null,"
        + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,\"temperature\":1.0,"
        + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],"
        + "\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":"
        + usage
        + ",\"user\":null,\"metadata\":{}}";
  }

  private static String events() {
    StringBuilder sse = new StringBuilder();
    int[] seq = {0};
    String item = "\"item_id\":\"msg_67ccd2bf17f0819081ff3bb2cf6508e6\",\"output_index\":0";
    event(sse, seq, "response.created", "\"response\":" + response("in_progress", null, "null"));
    event(
        sse, seq, "response.in_progress", "\"response\":" + response("in_progress", null, "null"));
    event(
        sse,
        seq,
        "response.content_part.added",
        item
            + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\","
            + "\"annotations\":[]}");
    for (String text : STREAMED_TEXT) {
      event(
          sse,
          seq,
          "response.output_text.delta",
          item + ",\"content_index\":0,\"delta\":\"" + text + "\",\"logprobs\":[]");
    }
    String whole = String.join("", STREAMED_TEXT);
    event(
        sse,
        seq,
        "response.output_text.done",
        item + ",\"content_index\":0,\"text\":\"" + whole + "\",\"logprobs\":[]");
    event(
        sse,
        seq,
        "response.completed",
        "\"response\":" + response("completed", whole, usage(20, 0, 9, 0)));
    return sse.toString();
  }

  private static void event(StringBuilder sse, int[] seq, String type, String fields) {
    sse.append("event: ")
        .append(type)
        .append("\ndata: {\"type\":\"")
        .append(type)
        .append("\",\"sequence_number\":")
        .append(seq[0]++)
        .append(',')
        .append(fields)
        .append("}\n\n");
  }

  private static ResponseCreateParams hello() {
    return ResponseCreateParams.builder()
        .model(MODEL)
        .instructions("Be brief.")
        .input("Hello!")
        .build();
  }

  @Test
  void aBufferedResponseGoesThroughWithTheBackendsKeyAndReportsItsTokens() throws Exception {
    Response response = client.responses().create(hello());

    assertThat(response.id()).isEqualTo("resp_67ccd2bed1ec8190b14f964abc054267");
    String text =
        response.output().stream()
            .flatMap(item -> item.message().stream())
            .flatMap(message -> message.content().stream())
            .flatMap(content -> content.outputText().stream())
            .map(output -> output.text())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("Hello! How can I help?");

    FakeEndpoint.Received received = openAi.requests().get(0);
    assertThat(received.uri()).isEqualTo("/v1/responses");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + BACKEND_KEY);
    JsonNode sent = received.json();
    assertThat(sent.path("model").asText()).isEqualTo(MODEL);
    assertThat(sent.path("input").asText()).isEqualTo("Hello!");
    assertThat(sent.path("instructions").asText()).isEqualTo("Be brief.");

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("openai.default");
    assertThat(exchange.number("input_token")).isEqualTo(36);
    assertThat(exchange.number("cached_input_token")).isEqualTo(4);
    assertThat(exchange.number("output_token")).isEqualTo(87);
    assertThat(exchange.number("total_token")).isEqualTo(123);
    assertThat(exchange.string("response_model")).isEqualTo(RESPONSE_MODEL);
  }

  @Test
  void aStreamedResponseArrivesEventByEventWithTheUsageOfItsCompletedEvent() throws Exception {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(hello())) {
      stream.stream().forEach(events::add);
    }
    String text =
        events.stream()
            .flatMap(e -> e.outputTextDelta().stream())
            .map(delta -> delta.delta())
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(String.join("", STREAMED_TEXT));
    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.get(events.size() - 1).completed())
        .hasValueSatisfying(
            completed ->
                assertThat(completed.response().usage())
                    .hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isEqualTo(29)));

    JsonNode sent = openAi.requests().get(0).json();
    assertThat(sent.path("stream").asBoolean()).isTrue();
    assertThat(sent.has("stream_options"))
        .as("OpenAI refuses stream_options.include_usage on the Responses API")
        .isFalse();

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(20);
    assertThat(exchange.number("output_token")).isEqualTo(9);
    assertThat(exchange.number("total_token")).isEqualTo(29);
    assertThat(exchange.string("response_model")).isEqualTo(RESPONSE_MODEL);
  }
}
