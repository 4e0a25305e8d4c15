package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Reading pieces of an OpenAI chat request that every provider translation needs. */
public final class ChatRequests {

  private ChatRequests() {}

  /** The request body as a tree. */
  public static ObjectNode tree(ParsedRequest request) throws InvalidRequestException {
    try {
      JsonNode node = OpenAiJson.MAPPER.readTree(request.body());
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // falls through to the error below
    }
    throw new InvalidRequestException("invalid_json", "malformed request: not a JSON object");
  }

  /** {@code max_completion_tokens}, else {@code max_tokens}. */
  public static Optional<JsonNode> maxTokens(JsonNode body) {
    JsonNode completion = body.get("max_completion_tokens");
    if (completion != null && completion.isNumber()) {
      return Optional.of(completion);
    }
    JsonNode max = body.get("max_tokens");
    return max != null && max.isNumber() ? Optional.of(max) : Optional.empty();
  }

  /** The text of a message {@code content}: a string, or the text parts joined. */
  public static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      if (part.isTextual()) {
        out.append(part.asText());
      } else if ("text".equals(part.path("type").asText()) || part.has("text")) {
        out.append(part.path("text").asText(""));
      }
    }
    return out.toString();
  }

  /** A parsed {@code data:} URI. */
  public record DataUri(String mimeType, String base64) {
    /** The image format after {@code image/} ({@code png}, {@code jpeg}, …). */
    public String subtype() {
      int slash = mimeType.indexOf('/');
      return slash < 0 ? mimeType : mimeType.substring(slash + 1);
    }
  }

  /** {@code data:<mime>;base64,<data>}, or empty when {@code url} is not such a URI. */
  public static Optional<DataUri> dataUri(String url) {
    if (url == null || !url.startsWith("data:")) {
      return Optional.empty();
    }
    int semicolon = url.indexOf(';');
    int comma = url.indexOf(',');
    if (semicolon < 0 || comma < semicolon || !url.startsWith(";base64", semicolon)) {
      return Optional.empty();
    }
    return Optional.of(
        new DataUri(
            url.substring(5, semicolon).toLowerCase(Locale.ROOT), url.substring(comma + 1)));
  }

  /**
   * Whether an assistant message's content parts carry its thinking; if not, the message's {@code
   * thinking_blocks} (as the translated responses give them) do.
   */
  public static boolean hasThinkingPart(JsonNode content) {
    if (content == null || !content.isArray()) {
      return false;
    }
    for (JsonNode part : content) {
      String type = part.path("type").asText("");
      if (type.equals("thinking") || type.equals("redacted_thinking")) {
        return true;
      }
    }
    return false;
  }

  /** A 422 for something the backend's schema cannot express. */
  public static InvalidRequestException unsupported(String message) {
    return new InvalidRequestException(
        "unsupported_for_backend", "invalid request body: " + message);
  }
}
