package io.aigw.extproc.translate;

import java.util.Objects;

/**
 * A client request body the gateway understood: the raw bytes and the few fields routing and
 * accounting need. Never mutated; translators build new bodies from it.
 *
 * @param endpoint where it was sent
 * @param body the exact bytes the client sent
 * @param model the top-level {@code model}
 * @param stream whether the client asked for a streamed response
 * @param clientAskedForUsage whether {@code stream_options.include_usage} is {@code true}
 */
public record ParsedRequest(
    Endpoint endpoint, byte[] body, String model, boolean stream, boolean clientAskedForUsage) {

  public ParsedRequest {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(model, "model");
  }

  /**
   * The same request without its body, once the body is sent: a streamed response can last minutes,
   * and the bytes (up to 50 MiB) are not read again.
   */
  public ParsedRequest withoutBody() {
    return new ParsedRequest(endpoint, new byte[0], model, stream, clientAskedForUsage);
  }
}
