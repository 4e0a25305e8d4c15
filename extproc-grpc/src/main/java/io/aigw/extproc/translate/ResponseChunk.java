package io.aigw.extproc.translate;

import java.util.Optional;

/**
 * What to send the client for one piece of response body.
 *
 * @param replacement the bytes to send instead of the piece, or empty to send it unchanged (an
 *     empty array sends nothing)
 */
public record ResponseChunk(Optional<byte[]> replacement) {

  private static final ResponseChunk UNCHANGED = new ResponseChunk(Optional.empty());

  public static ResponseChunk unchanged() {
    return UNCHANGED;
  }

  public static ResponseChunk replacedBy(byte[] bytes) {
    return new ResponseChunk(Optional.of(bytes));
  }
}
