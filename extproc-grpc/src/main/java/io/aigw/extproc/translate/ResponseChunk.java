package io.aigw.extproc.translate;

import java.util.Optional;

/**
 * What to send the client for one piece of response body.
 *
 * @param replacement the bytes to send instead of the piece, or empty to send it unchanged (an
 *     empty array sends nothing)
 * @param unreadable why a whole successful answer could not be translated, when it could not: the
 *     client then gets a 502 in its own API's shape, not the provider's bytes under a 200
 */
public record ResponseChunk(Optional<byte[]> replacement, Optional<String> unreadable) {

  private static final ResponseChunk UNCHANGED =
      new ResponseChunk(Optional.empty(), Optional.empty());

  public static ResponseChunk unchanged() {
    return UNCHANGED;
  }

  public static ResponseChunk replacedBy(byte[] bytes) {
    return new ResponseChunk(Optional.of(bytes), Optional.empty());
  }

  /** A whole answer that is not what the provider's API answers (HTML from a proxy, say). */
  public static ResponseChunk unreadable(String reason) {
    return new ResponseChunk(Optional.empty(), Optional.of(reason));
  }
}
