package io.aigw.extproc.translate.openai;

import java.util.Optional;

/**
 * One server-sent event as it arrived.
 *
 * @param raw the exact bytes of the event, blank-line terminator included
 * @param data the {@code data:} lines joined with {@code \n}, or empty when the event has none
 */
public record SseEvent(byte[] raw, Optional<String> data) {

  /** Whether this is OpenAI's end-of-stream marker {@code data: [DONE]}. */
  public boolean isDone() {
    return data.isPresent() && "[DONE]".equals(data.get().strip());
  }
}
