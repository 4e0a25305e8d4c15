package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import java.util.Objects;

/**
 * An API server's answer: the status code and the body. A transport failure (no answer, a timeout)
 * is not a response: the call's future fails instead.
 */
public record ApiResponse(int code, String body) {

  public ApiResponse {
    Objects.requireNonNull(body, "body");
  }

  public boolean ok() {
    return code >= 200 && code < 300;
  }

  public boolean created() {
    return code == 201;
  }

  public boolean notFound() {
    return code == 404;
  }

  public boolean conflict() {
    return code == 409;
  }

  /** The server cannot do this kind of request at all (a patch type it does not know). */
  public boolean unsupportedMediaType() {
    return code == 415;
  }

  /** Worth trying again: a conflict, throttling, or the server's own failure. */
  public boolean retryable() {
    return code == 409 || code == 429 || code >= 500;
  }

  /** The body as a tree; an empty object when it is not JSON. */
  public JsonNode json() {
    try {
      return body.isEmpty() ? CanonicalJson.object(java.util.Map.of()) : CanonicalJson.read(body);
    } catch (IllegalArgumentException e) {
      return CanonicalJson.object(java.util.Map.of());
    }
  }

  /** What went wrong, for an outcome's reason: the Status message when there is one. */
  public String reason() {
    String message = json().path("message").asText("");
    String summary = message.isEmpty() ? abbreviate(body) : message;
    return code + (summary.isEmpty() ? "" : " " + summary);
  }

  private static String abbreviate(String text) {
    String line = text.strip().replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
