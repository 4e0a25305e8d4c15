package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's speech to text through the gateway with the official SDK: the multipart form routed on
 * its {@code model} field, sent on with the backend's model spliced in and the audio file's bytes
 * untouched, and the transcription's token usage accounted.
 */
class AudioTranscriptionE2E {

  private static final String MODEL = "transcriber";
  private static final String BACKEND_MODEL = "gpt-4o-transcribe";
  private static final String BACKEND_KEY = "sk-openai-backend";

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
                BACKEND_MODEL));
    openAi = FakeEndpoint.start(gateway.vertx(), AudioTranscriptionE2E::answer);
    gateway.route("openai.default", openAi.port());
    client = gateway.openAiClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    openAi.close();
    gateway.close();
  }

  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    if (!request.uri().equals("/v1/audio/transcriptions")) {
      response.setStatusCode(404).end();
      return;
    }
    response
        .putHeader("content-type", "application/json")
        .end(
            "{\"text\":\"Imagine the wildest idea that you've ever had.\",\"usage\":{\"type\":"
                + "\"tokens\",\"input_tokens\":14,\"input_token_details\":{\"text_tokens\":0,"
                + "\"audio_tokens\":14},\"output_tokens\":45,\"total_tokens\":59}}");
  }

  /**
   * Bytes of every value, as an audio file has, with what begins a boundary line among them (the
   * SDK's boundary is a UUID, so each of these is a partial one).
   */
  private static byte[] audio() {
    byte[] bytes = new byte[40_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 13 + 45);
    }
    byte[] near = "\r\n--".getBytes(StandardCharsets.ISO_8859_1);
    for (int at = 100; at + near.length < bytes.length; at += 997) {
      System.arraycopy(near, 0, bytes, at, near.length);
    }
    return bytes;
  }

  @Test
  void aFormIsRoutedOnItsModelAndSentWithTheBackendsModelAndTheFileUntouched() throws Exception {
    byte[] audio = audio();
    Path recording = Files.write(dir.resolve("meeting.mp3"), audio);
    Transcription transcription =
        client
            .audio()
            .transcriptions()
            .create(
                TranscriptionCreateParams.builder()
                    .file(recording)
                    .model(MODEL)
                    .temperature(0.2)
                    .build())
            .asTranscription();

    assertThat(transcription.text()).isEqualTo("Imagine the wildest idea that you've ever had.");
    FakeEndpoint.Received received = openAi.requests().get(0);
    assertThat(received.uri()).isEqualTo("/v1/audio/transcriptions");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + BACKEND_KEY);
    assertThat(received.headers().get("content-type")).startsWith("multipart/form-data");
    assertThat(Integer.parseInt(received.headers().get("content-length")))
        .isEqualTo(received.body().length);
    String form = new String(received.body(), StandardCharsets.ISO_8859_1);
    assertThat(form)
        .contains("name=\"model\"\r\n")
        .contains("filename=\"meeting.mp3\"")
        .contains("\r\n\r\n" + BACKEND_MODEL + "\r\n--")
        .doesNotContain("\r\n\r\n" + MODEL + "\r\n--")
        .contains(new String(audio, StandardCharsets.ISO_8859_1));

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("openai.default");
    assertThat(exchange.number("input_token")).isEqualTo(14);
    assertThat(exchange.number("output_token")).isEqualTo(45);
    assertThat(exchange.number("total_token")).isEqualTo(59);
  }
}
