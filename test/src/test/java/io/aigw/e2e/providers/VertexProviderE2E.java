package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK through the Envoy-like proxy and the ExtProc to Gemini on Vertex AI:
 * {@code generateContent} and {@code streamGenerateContent?alt=sse} under the policy's project and
 * region, the bearer token from the mounted token file (what the controller's rotator writes), and
 * Vertex answers in their recorded shape (CRLF-delimited SSE, usage in {@code usageMetadata},
 * thoughts counted as output) coming back as OpenAI completions.
 */
class VertexProviderE2E {

  private static final String MODEL = "gemini-flash";
  private static final String VERTEX_MODEL = "gemini-2.5-flash";
  private static final String PROJECT = "aigw-e2e-project";
  private static final String REGION = "us-central1";
  private static final String TOKEN = "ya29.c.b0AXv0zTOKEN-1";
  private static final String MODELS_PATH =
      "/v1/projects/" + PROJECT + "/locations/" + REGION + "/publishers/google/models/";
  private static final String MODEL_PATH = MODELS_PATH + VERTEX_MODEL;

  private static final String ANSWER =
      "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
          + "\"Hello! How can I help you today?\"}]},\"finishReason\":\"STOP\","
          + "\"avgLogprobs\":-0.4157510995864868}],\"usageMetadata\":{\"promptTokenCount\":9,"
          + "\"candidatesTokenCount\":9,\"totalTokenCount\":38,\"trafficType\":\"ON_DEMAND\","
          + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":9}],"
          + "\"candidatesTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":9}],"
          + "\"thoughtsTokenCount\":20},\"modelVersion\":\"gemini-2.5-flash\","
          + "\"createTime\":\"2025-07-01T10:15:30.123456Z\","
          + "\"responseId\":\"8r9jaJ2QBOqT2PgP7_zf8QU\"}";

  private static final String FUNCTION_CALL =
      "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":"
          + "{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\",\"unit\":\"celsius\"}},"
          + "\"thoughtSignature\":\"CiQB0e2Kb7Zx\"}]},\"finishReason\":\"STOP\","
          + "\"avgLogprobs\":-0.12}],\"usageMetadata\":{\"promptTokenCount\":41,"
          + "\"candidatesTokenCount\":18,\"totalTokenCount\":59,\"trafficType\":\"ON_DEMAND\"},"
          + "\"modelVersion\":\"gemini-2.5-flash\",\"createTime\":\"2025-07-01T10:16:02.5Z\","
          + "\"responseId\":\"Ur9jaKfUKO6T2PgPq4Xd0Qc\"}";

  private static final List<String> STREAMED_TEXT = List.of("Hi", " there,", " how can I help?");

  @TempDir Path dir;
  private Path token;
  private ProviderGateway gateway;
  private FakeEndpoint vertex;
  private OpenAIClient client;
  private final Set<String> validTokens = new CopyOnWriteArraySet<>(List.of(TOKEN));

  @BeforeEach
  void start() throws Exception {
    token = dir.resolve("gcp-access-token");
    Files.writeString(token, TOKEN + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.alsoServing(
                ProviderGateway.route(
                    MODEL,
                    "vertex",
                    new ApiSchema(ApiSchema.Name.GCPVertexAI, null, null),
                    new BackendAuth.Gcp(
                        PROJECT,
                        REGION,
                        null,
                        ProviderGateway.credential(token, "vertex", "gcpAccessToken")),
                    VERTEX_MODEL),
                "text-embedding-005",
                "gemini-embedding-2"));
    vertex = FakeEndpoint.start(gateway.vertx(), this::answer);
    gateway.route("vertex.default", vertex.port());
    client = gateway.openAiClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    vertex.close();
    gateway.close();
  }

  /** Vertex's checks on the token and the path, then a response or its SSE stream. */
  private void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    String auth = request.headers().getOrDefault("authorization", "");
    if (!auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
      error(
          response,
          401,
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login"
              + " cookie or other valid authentication credential.");
    } else if (request.uri().equals(MODEL_PATH + ":generateContent")) {
      boolean tools = request.json().has("tools") && !request.json().get("tools").isNull();
      response.putHeader("content-type", "application/json; charset=UTF-8");
      response.end(tools ? FUNCTION_CALL : ANSWER);
    } else if (request.uri().equals(MODEL_PATH + ":countTokens")) {
      response.putHeader("content-type", "application/json; charset=UTF-8");
      response.end("{\"totalTokens\":7,\"totalBillableCharacters\":24}");
    } else if (request.uri().equals(MODELS_PATH + "gemini-embedding-2:embedContent")) {
      response.putHeader("content-type", "application/json; charset=UTF-8");
      response.end(
          "{\"embedding\":{\"values\":[0.25,0.75]},\"usageMetadata\":{\"promptTokenCount\":3,"
              + "\"totalTokenCount\":3}}");
    } else if (request.uri().equals(MODELS_PATH + "text-embedding-005:predict")) {
      // Vertex AI's text embeddings, one prediction per instance
      StringBuilder predictions = new StringBuilder("{\"predictions\":[");
      for (int i = 0; i < request.json().path("instances").size(); i++) {
        predictions
            .append(i == 0 ? "" : ",")
            .append("{\"embeddings\":{\"values\":[0.5,")
            .append(i)
            .append(".0],\"statistics\":{\"token_count\":2,\"truncated\":false}}}");
      }
      response.putHeader("content-type", "application/json; charset=UTF-8");
      response.end(predictions.append("]}").toString());
    } else if (request.uri().equals(MODEL_PATH + ":streamGenerateContent?alt=sse")) {
      response.putHeader("content-type", "text/event-stream").setChunked(true);
      byte[] body = events().getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < body.length; at += 37) {
        response.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 37))));
      }
      response.end();
    } else {
      error(response, 404, "NOT_FOUND", "Publisher Model `" + request.uri() + "` not found.");
    }
  }

  private static void error(HttpServerResponse response, int code, String status, String message) {
    response
        .setStatusCode(code)
        .putHeader("content-type", "application/json; charset=UTF-8")
        .end(
            "{\"error\":{\"code\":"
                + code
                + ",\"message\":\""
                + message
                + "\",\"status\":\""
                + status
                + "\"}}");
  }

  /** As Vertex streams: one {@code data:} line per response, CRLF CRLF between them. */
  private static String events() {
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < STREAMED_TEXT.size(); i++) {
      boolean last = i == STREAMED_TEXT.size() - 1;
      sse.append("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"")
          .append(STREAMED_TEXT.get(i))
          .append("\"}]}")
          .append(last ? ",\"finishReason\":\"STOP\"" : "")
          .append("}],\"usageMetadata\":")
          .append(
              last
                  ? "{\"promptTokenCount\":7,\"candidatesTokenCount\":8,\"totalTokenCount\":33,"
                      + "\"trafficType\":\"ON_DEMAND\",\"thoughtsTokenCount\":18}"
                  : "{\"trafficType\":\"ON_DEMAND\"}")
          .append(",\"modelVersion\":\"gemini-2.5-flash\",")
          .append("\"createTime\":\"2025-07-01T10:17:44.901233Z\",")
          .append("\"responseId\":\"yL9jaPu2N8WT2PgPyKqQ-Aw\"}\r\n\r\n");
    }
    return sse.toString();
  }

  private static ChatCompletionCreateParams.Builder hello() {
    return ChatCompletionCreateParams.builder()
        .model(MODEL)
        .addSystemMessage("Be brief.")
        .addUserMessage("Hello!")
        .maxCompletionTokens(64)
        .temperature(0.5);
  }

  @Test
  void aBufferedChatGoesToGenerateContentUnderThePolicysProjectWithTheMountedToken()
      throws Exception {
    ChatCompletion completion = client.chat().completions().create(hello().build());

    assertThat(completion.id()).isEqualTo("8r9jaJ2QBOqT2PgP7_zf8QU");
    assertThat(completion.model()).isEqualTo("gemini-2.5-flash");
    // createTime 2025-07-01T10:15:30.123456Z
    assertThat(completion.created()).isEqualTo(1751364930L);
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content())
        .hasValue("Hello! How can I help you today?");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(9);
    assertThat(usage.completionTokens()).isEqualTo(29);
    assertThat(usage.totalTokens()).isEqualTo(38);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).hasValue(20L);

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":generateContent");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    assertThat(received.json().at("/systemInstruction/parts/0/text").asText())
        .isEqualTo("Be brief.");
    assertThat(received.json().at("/contents/0/role").asText()).isEqualTo("user");
    assertThat(received.json().at("/contents/0/parts/0/text").asText()).isEqualTo("Hello!");
    assertThat(received.json().path("contents")).hasSize(1);
    assertThat(received.json().at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(64);
    assertThat(received.json().at("/generationConfig/temperature").asDouble()).isEqualTo(0.5);
    assertThat(received.json().has("model")).isFalse();
    assertThat(received.json().has("messages")).isFalse();

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("vertex.default");
    assertThat(exchange.modeOverride()).isFalse();
    assertThat(exchange.number("input_token")).isEqualTo(9);
    assertThat(exchange.number("output_token")).isEqualTo(29);
    assertThat(exchange.number("total_token")).isEqualTo(38);
    assertThat(exchange.string("model_name_override")).isEqualTo(VERTEX_MODEL);
    assertThat(exchange.string("response_model")).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void vllmsTokenizeIsCountedByGeminisCountTokensAndAnsweredInVllmsShape() throws Exception {
    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gateway.origin() + "/tokenize"))
                    .header("content-type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\""
                                + MODEL
                                + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be"
                                + " brief.\"},{\"role\":\"user\",\"content\":\"Hello!\"}]}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"count\":7,\"max_model_len\":0,\"tokens\":[]}");
    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":countTokens");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    assertThat(received.json().at("/contents/0/parts/0/text").asText()).isEqualTo("Hello!");
    assertThat(received.json().at("/systemInstruction/parts/0/text").asText())
        .isEqualTo("Be brief.");
    // the count is the request's input, as a cost rule reads it
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.number("input_token")).isEqualTo(7);
  }

  @Test
  void embeddingsArePredictedByVertexAndComeBackAsOpenAisList() {
    CreateEmbeddingResponse answer =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-005")
                    .inputOfArrayOfStrings(List.of("first", "second"))
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                    .build());

    assertThat(answer.data())
        .extracting(e -> e.embedding())
        .containsExactly(List.of(0.5f, 0.0f), List.of(0.5f, 1.0f));
    assertThat(answer.usage().promptTokens()).isEqualTo(4);
    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODELS_PATH + "text-embedding-005:predict");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    assertThat(received.json().at("/instances/1/content").asText()).isEqualTo("second");
  }

  @Test
  void geminisLaterEmbeddingModelsGetOneTextThroughEmbedContentAndABatchIsRefused() {
    CreateEmbeddingResponse answer =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("gemini-embedding-2")
                    .input("first")
                    .dimensions(2)
                    .build());

    assertThat(answer.data()).extracting(e -> e.embedding()).containsExactly(List.of(0.25f, 0.75f));
    assertThat(answer.usage().promptTokens()).isEqualTo(3);
    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODELS_PATH + "gemini-embedding-2:embedContent");
    assertThat(received.json().at("/content/parts/0/text").asText()).isEqualTo("first");
    assertThat(received.json().at("/embedContentConfig/outputDimensionality").asInt()).isEqualTo(2);

    assertThatThrownBy(
            () ->
                client
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model("gemini-embedding-2")
                            .inputOfArrayOfStrings(List.of("first", "second"))
                            .build()))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("one input per request");
    assertThat(vertex.requests()).hasSize(1);
  }

  @Test
  void aStreamedChatTurnsVertexSseSplitAcrossChunksIntoChatChunksEndingWithUsage()
      throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    ChatCompletionCreateParams params =
        hello()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
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
    assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo("yL9jaPu2N8WT2PgPyKqQ-Aw"));
    CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(7);
    assertThat(usage.completionTokens()).isEqualTo(26);
    assertThat(usage.totalTokens()).isEqualTo(33);

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.uri()).isEqualTo(MODEL_PATH + ":streamGenerateContent?alt=sse");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    assertThat(received.json().has("stream")).isFalse();
    assertThat(received.json().at("/contents/0/parts/0/text").asText()).isEqualTo("Hello!");

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(7);
    assertThat(exchange.number("output_token")).isEqualTo(26);
    assertThat(exchange.number("total_token")).isEqualTo(33);
    assertThat(exchange.hasMetadata("token_latency_ttft")).isTrue();
  }

  @Test
  void toolsBecomeFunctionDeclarationsAndAFunctionCallComesBackAsAToolCall() throws Exception {
    FunctionParameters parameters =
        FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty(
                "properties",
                JsonValue.from(
                    Map.of(
                        "city", Map.of("type", "string"),
                        "unit",
                            Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build();
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model(MODEL)
                    .addUserMessage("What is the weather in Paris?")
                    .addTool(
                        ChatCompletionFunctionTool.builder()
                            .function(
                                FunctionDefinition.builder()
                                    .name("get_weather")
                                    .description("Current weather in a city")
                                    .parameters(parameters)
                                    .build())
                            .build())
                    .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                    .build());

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall call =
        choice.message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\",\"unit\":\"celsius\"}");

    FakeEndpoint.Received received = vertex.requests().get(0);
    assertThat(received.json().at("/tools/0/functionDeclarations/0/name").asText())
        .isEqualTo("get_weather");
    assertThat(received.json().at("/tools/0/functionDeclarations/0/description").asText())
        .isEqualTo("Current weather in a city");
    // gemini-2.5 models take the JSON schema as it is
    assertThat(
            received
                .json()
                .at("/tools/0/functionDeclarations/0/parametersJsonSchema/properties/unit/enum")
                .toString())
        .isEqualTo("[\"celsius\",\"fahrenheit\"]");
    assertThat(received.json().at("/toolConfig/functionCallingConfig/mode").asText())
        .isEqualTo("ANY");

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.number("input_token")).isEqualTo(41);
    assertThat(exchange.number("output_token")).isEqualTo(18);
  }

  @Test
  void aRotatedTokenIsSentOnceWrittenAndARevokedOneGetsVertexsRefusalInTheOpenAiShape()
      throws Exception {
    validTokens.add("ya29.rotated-2");
    rewriteToken("ya29.rotated-2", 5_000);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              client.chat().completions().create(hello().build());
              List<FakeEndpoint.Received> requests = vertex.requests();
              assertThat(requests.get(requests.size() - 1).headers())
                  .containsEntry("authorization", "Bearer ya29.rotated-2");
            });

    validTokens.clear();
    rewriteToken("ya29.revoked-3", 10_000);
    // the refusal alone would pass with the cached rotated token too, which is no longer valid:
    // wait until the request that got it carried the revoked one
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThatThrownBy(() -> client.chat().completions().create(hello().build()))
                  .isInstanceOfSatisfying(
                      UnauthorizedException.class,
                      e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.type()).hasValue("UNAUTHENTICATED");
                        assertThat(e.getMessage())
                            .contains("Request had invalid authentication credentials");
                      });
              List<FakeEndpoint.Received> requests = vertex.requests();
              assertThat(requests.get(requests.size() - 1).headers())
                  .containsEntry("authorization", "Bearer ya29.revoked-3");
            });
    RecordedExchange exchange = gateway.exchanges().get(gateway.exchanges().size() - 1);
    assertThat(exchange.status()).isEqualTo(401);
    assertThat(exchange.hasMetadata("input_token")).isFalse();
  }

  /** Writes a new token with a later modification time, so the credential source reloads it. */
  private void rewriteToken(String value, long aheadMillis) throws Exception {
    Files.writeString(token, value + "\n");
    Files.setLastModifiedTime(token, FileTime.fromMillis(System.currentTimeMillis() + aheadMillis));
  }
}
