package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A provider's error in the shapes clients read: OpenAI's {@code
 * {"type":"error","error":{"type","code","message"}}} (as upstream emits it; OpenAI SDKs read
 * {@code error.message}) and Anthropic's {@code {"type":"error","error":{"type","message"}}}.
 */
public final class ProviderError {

  private ProviderError() {}

  /** The OpenAI-shaped body; {@code code} is the upstream status. */
  public static byte[] openAi(String type, int status, String message) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type);
    error.put("code", Integer.toString(status));
    error.put("message", message);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The Anthropic-shaped body. */
  public static byte[] anthropic(String type, String message) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type);
    error.put("message", message);
    root.put("request_id", "");
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Anthropic's error type for an HTTP status. */
  public static String anthropicType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503 -> "service_unavailable_error";
      case 529 -> "overloaded_error";
      default -> "internal_server_error";
    };
  }
}
