package io.aigw.extproc.translate.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import java.io.IOException;

/**
 * Reads an OpenAI request body in one streaming pass: checks it is one well-formed JSON object and
 * picks out {@code model}, {@code stream} and {@code stream_options.include_usage}. Other fields
 * are skipped, not bound, so unknown fields survive (the raw bytes are forwarded). A speech request
 * is always streamed: its audio comes as it is made, and buffering it would hold the whole of it.
 */
public final class OpenAiRequestParser {

  private OpenAiRequestParser() {}

  /**
   * Parses {@code body} sent to {@code endpoint}.
   *
   * @throws InvalidRequestException for malformed JSON, a non-object body or a missing model
   */
  public static ParsedRequest parse(Endpoint endpoint, byte[] body) throws InvalidRequestException {
    String model = null;
    boolean stream = false;
    boolean includeUsage = false;
    try (JsonParser parser = OpenAiJson.FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(endpoint, "the body is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "model" -> model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "stream" ->
              stream =
                  endpoint.canStream() && endpoint != Endpoint.AUDIO_SPEECH
                      ? readStream(endpoint, value)
                      : skip(parser);
          case "stream_options" -> includeUsage = readIncludeUsage(parser, value);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw malformed(endpoint, "unexpected data after the JSON object");
      }
    } catch (JsonProcessingException e) {
      // Jackson names its own setting in a limit's message: the client needs the limit only
      throw malformed(endpoint, e.getOriginalMessage().replaceAll(", from `[^`]*`\\)", ")"));
    } catch (IOException e) {
      throw malformed(endpoint, e.getMessage());
    }
    if (model == null || model.isEmpty()) {
      throw new InvalidRequestException(
          "missing_model", "you must provide a model parameter (a non-empty string)");
    }
    boolean streamed = endpoint == Endpoint.AUDIO_SPEECH || (stream && endpoint.canStream());
    return new ParsedRequest(endpoint, body, model, streamed, includeUsage);
  }

  /**
   * False, having skipped the value: {@code stream} is no field of an endpoint that never streams.
   */
  private static boolean skip(JsonParser parser) throws IOException {
    parser.skipChildren();
    return false;
  }

  /** {@code stream}: a boolean or null; "yes" was taken for false, as any other value. */
  private static boolean readStream(Endpoint endpoint, JsonToken value)
      throws InvalidRequestException {
    return switch (value) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw malformed(endpoint, "stream must be a boolean");
    };
  }

  private static boolean readIncludeUsage(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return false;
    }
    boolean includeUsage = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if ("include_usage".equals(field)) {
        includeUsage = token == JsonToken.VALUE_TRUE;
      } else {
        parser.skipChildren();
      }
    }
    return includeUsage;
  }

  private static InvalidRequestException malformed(Endpoint endpoint, String detail) {
    return new InvalidRequestException(
        "invalid_json",
        "malformed request: failed to parse JSON for " + endpoint.apiPath() + ": " + detail);
  }
}
