package io.aigw.extproc.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartFormTest {

  private static final String TYPE = "multipart/form-data; boundary=b0a1-2c";
  private static final byte[] AUDIO = {0, '\r', '\n', '-', '-', 'b', '0', (byte) 0xff, 7};

  /** A form as OkHttp (the OpenAI Java SDK's client) writes one. */
  private static byte[] form(String model, String temperature, String stream, boolean file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (file) {
      out.writeBytes(
          ("--b0a1-2c\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n"
                  + "Content-Type: audio/mpeg\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(AUDIO);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    field(out, "model", model);
    field(out, "temperature", temperature);
    field(out, "stream", stream);
    out.writeBytes("--b0a1-2c--\r\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String name, String value) {
    if (value != null) {
      out.writeBytes(
          ("--b0a1-2c\r\nContent-Disposition: form-data; name=\""
                  + name
                  + "\"\r\n\r\n"
                  + value
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void fieldsAreReadTheFileFoundAndAFieldReplacedWithEveryOtherByteKept() throws Exception {
    byte[] body = form("whisper-1", "0.5", null, true);
    MultipartForm form = MultipartForm.parse(TYPE, body);
    assertThat(form.field("model")).hasValue("whisper-1");
    assertThat(form.field("file")).as("a file is no field").isEmpty();
    MultipartForm.Part file = form.part("file").orElseThrow();
    assertThat(file.filename()).hasValue("a.mp3");
    assertThat(java.util.Arrays.copyOfRange(body, file.start(), file.end())).isEqualTo(AUDIO);

    byte[] replaced = form.withField("model", "gpt-4o-transcribe");
    assertThat(new String(replaced, StandardCharsets.ISO_8859_1))
        .isEqualTo(
            new String(form("gpt-4o-transcribe", "0.5", null, true), StandardCharsets.ISO_8859_1));
    assertThat(
            MultipartForm.parse("multipart/form-data; boundary=\"b0a1-2c\"", body).field("model"))
        .as("a quoted boundary")
        .hasValue("whisper-1");
    assertThat(MultipartForm.parse(TYPE, form("", null, null, false)).field("model"))
        .as("an empty field")
        .hasValue("");
  }

  @Test
  void whatIsNotSuchAFormIsMalformed() {
    byte[] body = form("whisper-1", null, null, true);
    assertThatThrownBy(() -> MultipartForm.parse("application/json", body))
        .hasMessage("malformed request: the body must be multipart/form-data");
    assertThatThrownBy(() -> MultipartForm.parse("multipart/form-data", body))
        .hasMessage("malformed request: the multipart content type has no boundary");
    assertThatThrownBy(
            () -> MultipartForm.parse(TYPE, java.util.Arrays.copyOf(body, body.length - 20)))
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> MultipartForm.parse(TYPE, "{\"model\":\"m\"}".getBytes()))
        .hasMessageContaining("no part");
  }

  @Test
  void aTranscriptionNeedsAModelAndAFileAndStreamsWhenAskedInAnyCase() throws Exception {
    var request =
        MultipartRequests.parse(
            Endpoint.AUDIO_TRANSCRIPTIONS, TYPE, form("whisper-1", "0", "True", true));
    assertThat(request.model()).isEqualTo("whisper-1");
    assertThat(request.stream()).isTrue();
    assertThat(
            MultipartRequests.parse(
                Endpoint.AUDIO_TRANSLATIONS, TYPE, form("whisper-1", null, "true", true))
                .stream())
        .as("translations never stream")
        .isFalse();
    assertThatThrownBy(
            () ->
                MultipartRequests.parse(
                    Endpoint.AUDIO_TRANSCRIPTIONS, TYPE, form(null, null, null, true)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("model");
    assertThatThrownBy(
            () ->
                MultipartRequests.parse(
                    Endpoint.AUDIO_TRANSCRIPTIONS, TYPE, form("whisper-1", null, null, false)))
        .hasMessageContaining("needs a file");
    assertThatThrownBy(
            () ->
                MultipartRequests.parse(
                    Endpoint.AUDIO_TRANSCRIPTIONS, TYPE, form("whisper-1", "warm", null, true)))
        .hasMessage("malformed request: temperature must be a number");
  }

  @Test
  void aSecondModelIsRefusedAndPaddingAfterABoundaryTaken() throws Exception {
    byte[] twice = form("cheap", null, null, true);
    String doubled =
        new String(twice, StandardCharsets.ISO_8859_1)
            .replace(
                "--b0a1-2c--",
                "--b0a1-2c\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nexpensive\r\n"
                    + "--b0a1-2c--");
    assertThatThrownBy(
            () ->
                MultipartRequests.parse(
                    Endpoint.AUDIO_TRANSCRIPTIONS,
                    TYPE,
                    doubled.getBytes(StandardCharsets.ISO_8859_1)))
        .hasMessage("malformed request: the form names more than one model");
    String padded =
        new String(form("whisper-1", null, null, true), StandardCharsets.ISO_8859_1)
            .replace("--b0a1-2c\r\n", "--b0a1-2c \t\r\n");
    assertThat(
            MultipartForm.parse(TYPE, padded.getBytes(StandardCharsets.ISO_8859_1)).field("model"))
        .hasValue("whisper-1");
  }

  @Test
  void aLargeFileFullOfNearBoundariesIsFoundWhole() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < 200_000; i++) {
      // all but the boundary's last character, over and over
      file.writeBytes("\r\n--b0a1-2".getBytes(StandardCharsets.ISO_8859_1));
      file.write(i % 2 == 0 ? 'x' : '\r');
    }
    byte[] audio = file.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        "--b0a1-2c\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(audio);
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    field(out, "model", "whisper-1");
    out.writeBytes("--b0a1-2c--".getBytes(StandardCharsets.ISO_8859_1));
    MultipartForm form = MultipartForm.parse(TYPE, out.toByteArray());
    assertThat(form.field("model")).hasValue("whisper-1");
    MultipartForm.Part part = form.part("file").orElseThrow();
    assertThat(part.end() - part.start()).isEqualTo(audio.length);
  }
}
