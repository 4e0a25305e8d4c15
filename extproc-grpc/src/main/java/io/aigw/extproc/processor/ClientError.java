package io.aigw.extproc.processor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiFamily;
import io.aigw.extproc.translate.ProviderError;
import java.nio.charset.StandardCharsets;

/**
 * An error the gateway answers itself, properly JSON-escaped (unlike upstream, which formats the
 * message into the text raw): in OpenAI's shape {@code {"error":{"message","type","code"}}}, or on
 * the paths of Anthropic's API in Anthropic's {@code {"type":"error","error":{"type","message"}}},
 * whose SDKs read the error's type from there.
 */
public record ClientError(
    int status, String type, String code, String message, int retryAfterSeconds) {

  /** An error the client should not simply retry: no {@code retry-after}. */
  public ClientError(int status, String type, String code, String message) {
    this(status, type, code, message, 0);
  }

  /**
   * A 503 that passes in a moment (a config not loaded yet, bodies ahead of this one): answered
   * with {@code retry-after: 1}, which the OpenAI and Anthropic SDKs wait for before they retry.
   */
  public static ClientError retrySoon(String code, String message) {
    return new ClientError(503, "server_error", code, message, 1);
  }

  public static ClientError badRequest(String code, String message) {
    return new ClientError(400, "invalid_request_error", code, message);
  }

  public static ClientError notFound(String code, String message) {
    return new ClientError(404, "invalid_request_error", code, message);
  }

  public static ClientError server(int status, String code, String message) {
    return new ClientError(status, "server_error", code, message);
  }

  /** The JSON body in the shape a client of {@code family}'s API reads. */
  public byte[] bodyFor(ApiFamily family) {
    return family == ApiFamily.ANTHROPIC
        ? ProviderError.anthropic(anthropicType(), message)
        : openAiBody();
  }

  /**
   * The type Anthropic's API gives this status: its own list, where a client mistake it has no type
   * for (405, 422) is an {@code invalid_request_error} and a server failure an {@code api_error}.
   */
  private String anthropicType() {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  private byte[] openAiBody() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("code", code);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
