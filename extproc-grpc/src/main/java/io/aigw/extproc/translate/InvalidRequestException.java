package io.aigw.extproc.translate;

/**
 * The client sent something the gateway cannot serve; the message is shown to the client in an
 * OpenAI-shaped error body.
 */
public final class InvalidRequestException extends Exception {

  private final String code;

  public InvalidRequestException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The OpenAI {@code error.code}, e.g. {@code invalid_json}. */
  public String code() {
    return code;
  }
}
