package io.aigw.extproc.translate.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Incremental parser of a {@code text/event-stream}: bytes go in as they arrive, complete events
 * come out. An event may be split across any number of chunks and a chunk may hold several events;
 * line ends may be {@code \n}, {@code \r\n} or {@code \r}. Bytes of an incomplete event are kept
 * until the next chunk (or {@link #finish()}).
 */
public final class SseParser {

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private byte[] buffer = new byte[0];
  private int length;
  private int scanned;
  private int eventStart;
  private int lineStart;
  private StringBuilder data;
  private boolean started;

  /** Appends {@code chunk} and returns the events it completed, in order. */
  public List<SseEvent> feed(byte[] chunk) {
    append(chunk);
    List<SseEvent> events = new ArrayList<>(2);
    if (!started) {
      // a stream may open with a UTF-8 byte order mark, which is not part of its first line
      if (length < BOM.length && Arrays.equals(buffer, 0, length, BOM, 0, length)) {
        return events;
      }
      started = true;
      if (length >= BOM.length && Arrays.equals(buffer, 0, BOM.length, BOM, 0, BOM.length)) {
        scanned = BOM.length;
        lineStart = BOM.length;
      }
    }
    int i = scanned;
    while (i < length) {
      byte b = buffer[i];
      if (b != '\n' && b != '\r') {
        i++;
        continue;
      }
      if (b == '\r' && i + 1 == length) {
        break; // a CR at the end may be the first half of CRLF: decide when more arrives
      }
      int next = b == '\r' && buffer[i + 1] == '\n' ? i + 2 : i + 1;
      if (i == lineStart) {
        events.add(event(next));
        eventStart = next;
      } else {
        field(lineStart, i);
      }
      lineStart = next;
      i = next;
    }
    scanned = i;
    compact();
    return events;
  }

  /** The bytes of an unterminated last event (possibly none); the parser is reset. */
  public byte[] finish() {
    byte[] rest = Arrays.copyOfRange(buffer, eventStart, length);
    buffer = new byte[0];
    length = 0;
    scanned = 0;
    eventStart = 0;
    lineStart = 0;
    data = null;
    started = false;
    return rest;
  }

  /**
   * At the end of the stream: the unterminated last event (none when nothing is held), read as if
   * its last line ended there, with its bytes as they came; the parser is reset. A server that
   * omits the blank line after its last event still has that event read.
   */
  public Optional<SseEvent> finishEvent() {
    byte[] rest = finish();
    if (rest.length == 0) {
      return Optional.empty();
    }
    byte[] closed = Arrays.copyOf(rest, rest.length + 2);
    closed[rest.length] = '\n';
    closed[rest.length + 1] = '\n';
    Optional<String> data =
        new SseParser()
            .feed(closed).stream().map(SseEvent::data).flatMap(Optional::stream).findFirst();
    return Optional.of(new SseEvent(rest, data));
  }

  /** Bytes held back, waiting for the rest of their event. */
  public int pendingBytes() {
    return length - eventStart;
  }

  private SseEvent event(int end) {
    byte[] raw = Arrays.copyOfRange(buffer, eventStart, end);
    Optional<String> joined = data == null ? Optional.empty() : Optional.of(data.toString());
    data = null;
    return new SseEvent(raw, joined);
  }

  private void field(int start, int end) {
    int colon = -1;
    for (int k = start; k < end; k++) {
      if (buffer[k] == ':') {
        colon = k;
        break;
      }
    }
    int nameEnd = colon < 0 ? end : colon;
    if (nameEnd - start != 4
        || buffer[start] != 'd'
        || buffer[start + 1] != 'a'
        || buffer[start + 2] != 't'
        || buffer[start + 3] != 'a') {
      return; // event:, id:, retry: and comments do not matter to accounting
    }
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && buffer[valueStart] == ' ') {
      valueStart++;
    }
    String value = new String(buffer, valueStart, end - valueStart, StandardCharsets.UTF_8);
    if (data == null) {
      data = new StringBuilder(value);
    } else {
      data.append('\n').append(value);
    }
  }

  private void append(byte[] chunk) {
    if (length + chunk.length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + chunk.length));
    }
    System.arraycopy(chunk, 0, buffer, length, chunk.length);
    length += chunk.length;
  }

  private void compact() {
    if (eventStart == 0) {
      return;
    }
    int kept = length - eventStart;
    System.arraycopy(buffer, eventStart, buffer, 0, kept);
    scanned -= eventStart;
    lineStart -= eventStart;
    length = kept;
    eventStart = 0;
  }
}
