package io.aigw.extproc.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiRequestParserTest {

  private static ParsedRequest parse(Endpoint endpoint, String body)
      throws InvalidRequestException {
    return OpenAiRequestParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsModelStreamAndIncludeUsageSkippingEverythingElse() throws Exception {
    ParsedRequest request =
        parse(
            Endpoint.CHAT_COMPLETIONS,
            "{\"messages\":[{\"role\":\"user\",\"content\":{\"nested\":[1,2]}}],\"model\":\"m\","
                + "\"stream\":true,\"stream_options\":{\"x\":[1],\"include_usage\":true},\"n\":1}");
    assertThat(request.model()).isEqualTo("m");
    assertThat(request.stream()).isTrue();
    assertThat(request.clientAskedForUsage()).isTrue();
  }

  @Test
  void embeddingsNeverStream() throws Exception {
    assertThat(
            parse(Endpoint.EMBEDDINGS, "{\"model\":\"e\",\"input\":\"x\",\"stream\":true}")
                .stream())
        .isFalse();
  }

  @Test
  void speechIsAlwaysStreamedAndImagesWhenAsked() throws Exception {
    // the audio comes as it is made: held whole, a long text's audio would fill Envoy's buffer
    assertThat(parse(Endpoint.AUDIO_SPEECH, "{\"model\":\"tts-1\",\"input\":\"x\"}").stream())
        .isTrue();
    assertThat(parse(Endpoint.AUDIO_SPEECH, "{\"model\":\"tts-1\",\"stream\":\"no\"}").stream())
        .as("speech has no stream field of its own to refuse")
        .isTrue();
    assertThat(parse(Endpoint.IMAGES_GENERATIONS, "{\"model\":\"gpt-image-1\"}").stream())
        .isFalse();
    assertThat(
            parse(Endpoint.IMAGES_GENERATIONS, "{\"model\":\"gpt-image-1\",\"stream\":true}")
                .stream())
        .isTrue();
    assertThat(
            io.aigw.extproc.translate.TranslatorFactory.supports(
                Endpoint.IMAGES_GENERATIONS,
                new io.aigw.core.filterconfig.ApiSchema(
                    io.aigw.core.filterconfig.ApiSchema.Name.AzureOpenAI, "2025-04-01", null)))
        .as("upstream serves images and speech on OpenAI backends only")
        .isFalse();
  }

  @Test
  void refusesTrailingDataANonObjectAndANonStringModel() {
    assertThatThrownBy(() -> parse(Endpoint.COMPLETIONS, "{\"model\":\"m\"} {}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unexpected data");
    assertThatThrownBy(() -> parse(Endpoint.COMPLETIONS, "[1]"))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> parse(Endpoint.COMPLETIONS, "{\"model\":7}"))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).code())
        .isEqualTo("missing_model");
    assertThatThrownBy(() -> parse(Endpoint.COMPLETIONS, ""))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void streamIsABooleanOrNull() throws Exception {
    assertThat(parse(Endpoint.CHAT_COMPLETIONS, "{\"model\":\"m\",\"stream\":null}").stream())
        .isFalse();
    // "yes" was taken for false: the client asked for a stream and got a buffered answer
    assertThatThrownBy(
            () -> parse(Endpoint.CHAT_COMPLETIONS, "{\"model\":\"m\",\"stream\":\"yes\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageEndingWith("stream must be a boolean")
        .extracting(e -> ((InvalidRequestException) e).code())
        .isEqualTo("invalid_json");
    // no field of an endpoint that never streams: left alone, as upstream does
    assertThat(parse(Endpoint.EMBEDDINGS, "{\"model\":\"e\",\"stream\":\"yes\"}").stream())
        .isFalse();
  }

  @Test
  void aNestingLimitIsSaidWithoutTheParsersInternals() {
    String deep = "{\"model\":\"m\",\"x\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}";

    assertThatThrownBy(() -> parse(Endpoint.CHAT_COMPLETIONS, deep))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("exceeds the maximum allowed")
        .hasMessageNotContaining("StreamReadConstraints");
  }
}
