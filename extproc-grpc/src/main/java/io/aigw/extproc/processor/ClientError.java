package io.aigw.extproc.processor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * An error the gateway answers itself, in OpenAI's shape {@code
 * {"error":{"message","type","code"}}}, properly JSON-escaped (unlike upstream, which formats the
 * message into the text raw).
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

  /** The JSON body. */
  public byte[] body() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("code", code);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
