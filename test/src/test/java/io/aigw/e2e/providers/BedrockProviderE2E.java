package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK through the Envoy-like proxy and the ExtProc to AWS Bedrock:
 * Converse and ConverseStream, signed with SigV4 from a mounted credentials file, the signature
 * re-verified at the fake Bedrock with the AWS SDK's signer.
 */
class BedrockProviderE2E {

  private static final String MODEL = "claude-sonnet";
  private static final String BEDROCK_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeBedrock bedrock;
  private OpenAIClient client;

  @BeforeEach
  void start() throws Exception {
    Path credentials = dir.resolve("aws-credentials");
    Files.writeString(
        credentials,
        "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other\n\n"
            + "[bedrock]\naws_access_key_id = "
            + FakeBedrock.ACCESS_KEY_ID
            + "\naws_secret_access_key = "
            + FakeBedrock.SECRET_ACCESS_KEY
            + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.route(
                MODEL,
                "bedrock",
                new ApiSchema(ApiSchema.Name.AWSBedrock, null, null),
                new BackendAuth.Aws(
                    FakeBedrock.REGION,
                    ProviderGateway.credential(credentials, "bedrock", "credentials"),
                    "bedrock"),
                BEDROCK_MODEL));
    bedrock = new FakeBedrock(gateway.vertx());
    gateway.route("bedrock.default", bedrock.port());
    client = gateway.openAiClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    bedrock.close();
    gateway.close();
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
  void anEmbeddingGoesToTitanSignedAndComesBackAsOpenAisList() throws Exception {
    // OpenAI's SDKs ask for base64 by default (the Python one does), some clients for floats
    for (EmbeddingCreateParams.EncodingFormat format :
        List.of(
            EmbeddingCreateParams.EncodingFormat.BASE64,
            EmbeddingCreateParams.EncodingFormat.FLOAT)) {
      CreateEmbeddingResponse answer =
          client
              .embeddings()
              .create(
                  EmbeddingCreateParams.builder()
                      .model(MODEL)
                      .input("Hello!")
                      .encodingFormat(format)
                      .build());
      assertThat(answer.data()).singleElement();
      assertThat(answer.data().get(0).embedding())
          .as("%s, as OpenAI's SDK reads it", format)
          .containsExactly(0.25f, -0.5f, 1.0f);
      assertThat(answer.usage().promptTokens()).isEqualTo(3);
    }

    FakeEndpoint.Received received = bedrock.requests().get(0);
    assertThat(received.uri()).isEqualTo("/model/" + BEDROCK_MODEL + "/invoke");
    assertThat(bedrock.verdicts).hasSize(2).allSatisfy(v -> assertThat(v.valid()).isTrue());
    assertThat(received.json().path("inputText").asText()).isEqualTo("Hello!");
    assertThat(gateway.exchanges().get(0).number("input_token")).isEqualTo(3);
  }

  @Test
  void aBufferedChatIsSignedForConverseAndComesBackAsAChatCompletion() throws Exception {
    ChatCompletion completion = client.chat().completions().create(hello().build());

    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content())
        .hasValue("Hello! How can I help you today?");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(15);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(9);

    FakeEndpoint.Received received = bedrock.requests().get(0);
    assertThat(received.uri()).isEqualTo("/model/" + BEDROCK_MODEL + "/converse");
    assertSigned(received);
    assertThat(received.json().at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(received.json().at("/messages/0/role").asText()).isEqualTo("user");
    assertThat(received.json().at("/messages/0/content/0/text").asText()).isEqualTo("Hello!");
    assertThat(received.json().at("/inferenceConfig/maxTokens").asInt()).isEqualTo(64);
    assertThat(received.json().has("model")).isFalse();

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("bedrock.default");
    assertThat(exchange.modeOverride()).isFalse();
    // Bedrock counts cache reads apart from inputTokens; the gateway adds them to the prompt
    assertThat(exchange.number("input_token")).isEqualTo(15);
    assertThat(exchange.number("cached_input_token")).isEqualTo(3);
    assertThat(exchange.number("output_token")).isEqualTo(9);
    assertThat(exchange.number("total_token")).isEqualTo(24);
    assertThat(exchange.string("model_name_override")).isEqualTo(BEDROCK_MODEL);
  }

  @Test
  void aStreamedChatDecodesConverseStreamFramesSplitAcrossChunksIntoChatChunks() throws Exception {
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
    assertThat(text).isEqualTo(String.join("", FakeBedrock.STREAMED_TEXT));
    assertThat(chunks)
        .flatMap(ChatCompletionChunk::choices)
        .anySatisfy(
            c ->
                assertThat(c.finishReason())
                    .hasValue(ChatCompletionChunk.Choice.FinishReason.STOP));

    FakeEndpoint.Received received = bedrock.requests().get(0);
    assertThat(received.uri()).isEqualTo("/model/" + BEDROCK_MODEL + "/converse-stream");
    assertSigned(received);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.number("input_token")).isEqualTo(15);
    assertThat(exchange.number("output_token")).isEqualTo(6);
    assertThat(exchange.number("total_token")).isEqualTo(21);
    assertThat(exchange.hasMetadata("token_latency_ttft")).isTrue();
  }

  @Test
  void keysBedrockDoesNotKnowGetItsSignatureErrorInTheOpenAiShape() throws Exception {
    Path credentials = dir.resolve("aws-credentials");
    Files.writeString(
        credentials,
        "[bedrock]\naws_access_key_id = "
            + FakeBedrock.ACCESS_KEY_ID
            + "\naws_secret_access_key = rotated-elsewhere\n");
    // a later modification time than the first write, so the credential source reloads it
    Files.setLastModifiedTime(credentials, FileTime.fromMillis(System.currentTimeMillis() + 5_000));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> client.chat().completions().create(hello().build()))
                    .isInstanceOfSatisfying(
                        PermissionDeniedException.class,
                        e -> {
                          assertThat(e.statusCode()).isEqualTo(403);
                          assertThat(e.getMessage())
                              .contains("The request signature we calculated does not match");
                        }));
    FakeBedrock.Verdict last = bedrock.verdicts.get(bedrock.verdicts.size() - 1);
    assertThat(last.valid()).isFalse();
    RecordedExchange exchange = gateway.exchanges().get(gateway.exchanges().size() - 1);
    assertThat(exchange.status()).isEqualTo(403);
    assertThat(exchange.hasMetadata("input_token")).isFalse();
  }

  private void assertSigned(FakeEndpoint.Received received) throws Exception {
    String sha256 =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(received.body()));
    assertThat(received.headers()).containsEntry("x-amz-content-sha256", sha256);
    assertThat(received.headers().get("authorization"))
        .startsWith(
            "AWS4-HMAC-SHA256 Credential="
                + FakeBedrock.ACCESS_KEY_ID
                + "/"
                + received.headers().get("x-amz-date").substring(0, 8)
                + "/"
                + FakeBedrock.REGION
                + "/bedrock/aws4_request");
    assertThat(bedrock.verdicts).hasSize(1);
    FakeBedrock.Verdict verdict = bedrock.verdicts.get(0);
    assertThat(received.headers().get("authorization")).isEqualTo(verdict.expectedAuthorization());
    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void aMessagesApiRequestGoesToConverseSignedAndComesBackAsAMessage() throws Exception {
    com.anthropic.client.AnthropicClient anthropic = gateway.anthropicClient();
    try {
      com.anthropic.models.messages.Message message =
          anthropic
              .messages()
              .create(
                  com.anthropic.models.messages.MessageCreateParams.builder()
                      .model(MODEL)
                      .maxTokens(64)
                      .system("Be brief.")
                      .addUserMessage("Hello!")
                      .build());
      assertThat(message.content())
          .map(block -> block.text().map(t -> t.text()).orElse(""))
          .containsExactly("Hello! How can I help you today?");
      assertThat(message.stopReason()).hasValue(com.anthropic.models.messages.StopReason.END_TURN);
      assertThat(message.usage().inputTokens()).isEqualTo(12);
      assertThat(message.usage().cacheReadInputTokens()).hasValue(3L);
    } finally {
      anthropic.close();
    }
    FakeEndpoint.Received received = bedrock.requests().get(0);
    assertThat(received.uri()).isEqualTo("/model/" + BEDROCK_MODEL + "/converse");
    assertThat(bedrock.verdicts).singleElement().satisfies(v -> assertThat(v.valid()).isTrue());
    assertThat(received.headers()).doesNotContainKey("x-api-key");
    assertThat(received.json().at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(received.json().at("/messages/0/content/0/text").asText()).isEqualTo("Hello!");
    assertThat(received.json().at("/inferenceConfig/maxTokens").asInt()).isEqualTo(64);
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.number("output_token")).isEqualTo(9);
  }

  @Test
  void aStreamedMessagesApiRequestTurnsConverseStreamIntoAnthropicEvents() throws Exception {
    List<com.anthropic.models.messages.RawMessageStreamEvent> events = new ArrayList<>();
    com.anthropic.client.AnthropicClient anthropic = gateway.anthropicClient();
    try (var stream =
        anthropic
            .messages()
            .createStreaming(
                com.anthropic.models.messages.MessageCreateParams.builder()
                    .model(MODEL)
                    .maxTokens(64)
                    .addUserMessage("Hello!")
                    .build())) {
      stream.stream().forEach(events::add);
    } finally {
      anthropic.close();
    }
    com.anthropic.helpers.MessageAccumulator accumulator =
        com.anthropic.helpers.MessageAccumulator.create();
    events.forEach(accumulator::accumulate);
    assertThat(accumulator.message().content())
        .map(block -> block.text().map(t -> t.text()).orElse(""))
        .containsExactly(String.join("", FakeBedrock.STREAMED_TEXT));
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    assertThat(bedrock.requests().get(0).uri())
        .isEqualTo("/model/" + BEDROCK_MODEL + "/converse-stream");
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.modeOverride()).isTrue();
    assertThat(exchange.hasMetadata("output_token")).isTrue();
  }
}
