package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's image generation and text to speech through the gateway to an OpenAI backend, with the
 * official SDK: the request passed on under the backend's key, an image answer's token usage
 * accounted, and speech's audio bytes arriving whole and as they come (never held back whole).
 */
class ImagesAndSpeechE2E {

  private static final String IMAGE_MODEL = "gpt-image-1";
  private static final String SPEECH_MODEL = "gpt-4o-mini-tts";
  private static final String BACKEND_KEY = "sk-openai-backend";
  private static final byte[] AUDIO = audio();

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint openAi;
  private OpenAIClient client;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("openai-key");
    Files.writeString(key, BACKEND_KEY + "\n");
    ApiSchema openAiSchema = new ApiSchema(ApiSchema.Name.OpenAI, "v1", null);
    BackendAuth auth = new BackendAuth.ApiKey(ProviderGateway.credential(key, "openai", "apiKey"));
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.alsoServing(
                ProviderGateway.route(IMAGE_MODEL, "openai", openAiSchema, auth, null),
                SPEECH_MODEL));
    openAi = FakeEndpoint.start(gateway.vertx(), ImagesAndSpeechE2E::answer);
    gateway.route("openai.default", openAi.port());
    client = gateway.openAiClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    openAi.close();
    gateway.close();
  }

  /** Bytes no text decoder would pass through unchanged: every value a byte can have. */
  private static byte[] audio() {
    byte[] bytes = new byte[64 * 1024];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    switch (request.uri()) {
      case "/v1/images/generations" ->
          response
              .putHeader("content-type", "application/json")
              .end(
                  "{\"created\":1713833628,\"data\":[{\"b64_json\":\"iVBORw0KGgo=\"}],"
                      + "\"usage\":{\"total_tokens\":100,\"input_tokens\":50,\"output_tokens\":50,"
                      + "\"input_tokens_details\":{\"text_tokens\":10,\"image_tokens\":40}}}");
      case "/v1/audio/speech" -> {
        // the audio as OpenAI sends it: chunked, as it is made
        response.putHeader("content-type", "audio/mpeg").setChunked(true);
        for (int at = 0; at < AUDIO.length; at += 4096) {
          response.write(Buffer.buffer(Arrays.copyOfRange(AUDIO, at, at + 4096)));
        }
        response.end();
      }
      default -> response.setStatusCode(404).end();
    }
  }

  @Test
  void anImageIsGeneratedUnderTheBackendsKeyAndItsTokensAreAccounted() {
    ImagesResponse image =
        client
            .images()
            .generate(
                ImageGenerateParams.builder()
                    .model(IMAGE_MODEL)
                    .prompt("A cute baby sea otter")
                    .n(1)
                    .build());

    assertThat(image.data().orElseThrow().get(0).b64Json()).hasValue("iVBORw0KGgo=");
    assertThat(image.usage().orElseThrow().totalTokens()).isEqualTo(100);
    FakeEndpoint.Received received = openAi.requests().get(0);
    assertThat(received.uri()).isEqualTo("/v1/images/generations");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + BACKEND_KEY);
    assertThat(received.json().path("prompt").asText()).isEqualTo("A cute baby sea otter");
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.number("input_token")).isEqualTo(50);
    assertThat(exchange.number("output_token")).isEqualTo(50);
    assertThat(exchange.number("total_token")).isEqualTo(100);
  }

  @Test
  void speechsAudioArrivesWholeAndStreamed() throws Exception {
    byte[] heard;
    try (HttpResponse speech =
            client
                .audio()
                .speech()
                .create(
                    SpeechCreateParams.builder()
                        .model(SPEECH_MODEL)
                        .input("Today is a wonderful day to build something people love!")
                        .voice("coral")
                        .build());
        InputStream body = speech.body()) {
      assertThat(speech.headers().values("content-type")).contains("audio/mpeg");
      heard = body.readAllBytes();
    }

    assertThat(heard).isEqualTo(AUDIO);
    JsonNode sent = openAi.requests().get(0).json();
    assertThat(openAi.requests().get(0).uri()).isEqualTo("/v1/audio/speech");
    assertThat(sent.path("voice").asText()).isEqualTo("coral");
    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.modeOverride()).as("the audio is not held back whole").isTrue();
  }
}
