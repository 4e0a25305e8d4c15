package io.aigw.extproc.translate.openai;

import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an audio transcription or translation request, a {@code multipart/form-data} form as
 * OpenAI's API takes it and upstream checks it: {@code model} and {@code file} required, a {@code
 * temperature} that is a number, and {@code stream} ({@code true} in any case) for transcriptions
 * only, as translations never stream.
 */
public final class MultipartRequests {

  private MultipartRequests() {}

  /**
   * Parses {@code body}, sent with {@code contentType}, to {@code endpoint}.
   *
   * @throws InvalidRequestException for a body that is not such a form, or lacks what it needs
   */
  public static ParsedRequest parse(Endpoint endpoint, String contentType, byte[] body)
      throws InvalidRequestException {
    MultipartForm form = MultipartForm.parse(contentType, body);
    // servers differ on which of two values they take: routed on one, run on the other
    if (form.count("model") > 1) {
      throw new InvalidRequestException(
          "invalid_multipart", "malformed request: the form names more than one model");
    }
    Optional<String> model = form.field("model").map(String::strip);
    if (model.isEmpty() || model.get().isEmpty()) {
      throw new InvalidRequestException(
          "missing_model", "you must provide a model parameter (a non-empty string)");
    }
    // a part named file, with a file name or not (an SDK sending bytes may give none)
    if (form.part("file").filter(p -> p.end() > p.start()).isEmpty()) {
      throw new InvalidRequestException(
          "missing_file", "malformed request: " + endpoint.apiPath() + " needs a file to read");
    }
    Optional<String> temperature = form.field("temperature").map(String::strip);
    if (temperature.isPresent() && !temperature.get().isEmpty()) {
      try {
        Double.parseDouble(temperature.get());
      } catch (NumberFormatException e) {
        throw new InvalidRequestException(
            "invalid_multipart", "malformed request: temperature must be a number");
      }
    }
    boolean stream =
        endpoint == Endpoint.AUDIO_TRANSCRIPTIONS
            && form.field("stream")
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .orElse("")
                .equals("true");
    return new ParsedRequest(endpoint, body, model.get(), stream, false);
  }

  /** {@code body}, a form, with {@code model} in place of the client's. */
  public static byte[] withModel(String contentType, byte[] body, String model)
      throws InvalidRequestException {
    return MultipartForm.parse(contentType, body).withField("model", model);
  }
}
