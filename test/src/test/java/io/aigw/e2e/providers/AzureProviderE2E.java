package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK through the Envoy-like proxy and the ExtProc to Azure OpenAI: the
 * deployment and {@code api-version} in the path, the {@code api-key} header from the mounted
 * Secret, gzip-encoded answers (the recorded {@code azure-chat-basic} cassette, and a stream) whose
 * usage the gateway still reads.
 */
class AzureProviderE2E {

  private static final String MODEL = "gpt-5-nano";
  private static final String API_VERSION = "2024-12-01-preview";
  private static final String BACKEND_KEY = "azure-key-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STREAMED_TEXT = List.of("Hi", " there", "!");

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint azure;
  private OpenAIClient client;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("azure-key");
    Files.writeString(key, BACKEND_KEY + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.route(
                MODEL,
                "azure",
                new ApiSchema(ApiSchema.Name.AzureOpenAI, API_VERSION, null),
                new BackendAuth.AzureApiKey(ProviderGateway.credential(key, "azure", "apiKey")),
                null));
    String recorded = recordedAnswer();
    azure =
        FakeEndpoint.start(
            gateway.vertx(), (request, response) -> answer(request, response, recorded));
    gateway.route("azure.default", azure.port());
    client = gateway.openAiClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    azure.close();
    gateway.close();
  }

  private static String recordedAnswer() throws IOException {
    Path cassette =
        Path.of(System.getProperty("aigw.root"))
            .resolve("../shared/fixtures/upstream/cassettes/azure-chat-basic.yaml");
    JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(cassette.toFile());
    return yaml.at("/interactions/0/response/body").asText();
  }

  private static void answer(
      FakeEndpoint.Received request, HttpServerResponse response, String recorded) {
    if (!BACKEND_KEY.equals(request.headers().get("api-key"))) {
      response
          .setStatusCode(401)
          .putHeader("content-type", "application/json")
          .end("{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid key.\"}}");
      return;
    }
    boolean stream = request.json().path("stream").asBoolean(false);
    byte[] body = gzip(stream ? events(request) : recorded);
    response.putHeader("content-encoding", "gzip");
    if (!stream) {
      response.putHeader("content-type", "application/json").end(Buffer.buffer(body));
      return;
    }
    response.putHeader("content-type", "text/event-stream").setChunked(true);
    for (int at = 0; at < body.length; at += 29) {
      response.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 29))));
    }
    response.end();
  }

  private static String events(FakeEndpoint.Received request) {
    StringBuilder sse = new StringBuilder();
    for (String text : STREAMED_TEXT) {
      sse.append(
              "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                  + "\"model\":\"gpt-5-nano-2025-08-07\",\"choices\":[{\"index\":0,\"delta\":"
                  + "{\"content\":\"")
          .append(text)
          .append("\"},\"finish_reason\":null}]}\n\n");
    }
    if (request.json().at("/stream_options/include_usage").asBoolean(false)) {
      sse.append(
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
              + "\"model\":\"gpt-5-nano-2025-08-07\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,"
              + "\"completion_tokens\":3,\"total_tokens\":11}}\n\n");
    }
    return sse.append("data: [DONE]\n\n").toString();
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static ChatCompletionCreateParams hello() {
    return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Hello!").build();
  }

  @Test
  void aChatGoesToTheDeploymentPathWithTheApiKeyAndReportsUsageOfAGzippedAnswer() throws Exception {
    ChatCompletion completion = client.chat().completions().create(hello());

    JsonNode recorded = JSON.readTree(recordedAnswer());
    assertThat(completion.id()).isEqualTo(recorded.path("id").asText());
    assertThat(completion.choices().get(0).message().content())
        .hasValue(recorded.at("/choices/0/message/content").asText());

    FakeEndpoint.Received received = azure.requests().get(0);
    assertThat(received.uri())
        .isEqualTo("/openai/deployments/" + MODEL + "/chat/completions?api-version=" + API_VERSION);
    // the client's own authorization header is not removed (as upstream): a header mutation or
    // credentialOverride.inputHeadersToRemove does that where the provider must not see it
    assertThat(received.headers()).containsEntry("api-key", BACKEND_KEY);
    assertThat(received.json().path("messages").get(0).path("content").asText())
        .isEqualTo("Hello!");

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("azure.default");
    assertThat(exchange.number("input_token")).isEqualTo(8);
    assertThat(exchange.number("output_token")).isEqualTo(271);
    assertThat(exchange.number("total_token")).isEqualTo(279);
    assertThat(exchange.string("response_model")).isEqualTo("gpt-5-nano-2025-08-07");
  }

  @Test
  void aGzippedStreamReachesTheClientPlainWithoutTheUsageChunkTheGatewayAskedFor()
      throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(hello())) {
      stream.stream().forEach(chunks::add);
    }
    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(String.join("", STREAMED_TEXT));
    assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());

    FakeEndpoint.Received received = azure.requests().get(0);
    assertThat(received.uri()).startsWith("/openai/deployments/" + MODEL + "/chat/completions?");
    assertThat(received.json().at("/stream_options/include_usage").asBoolean()).isTrue();

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(8);
    assertThat(exchange.number("output_token")).isEqualTo(3);
  }
}
