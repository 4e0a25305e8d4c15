package io.aigw.extproc.translate.bedrock;

import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Incremental decoder of the AWS event stream ({@code application/vnd.amazon.eventstream}): bytes
 * go in as they arrive, complete messages come out to a {@link Listener}. A message may be split
 * across any number of chunks and a chunk may hold several. Both CRCs are checked; after a bad CRC
 * or an impossible length the stream cannot be re-synchronised, so decoding stops and {@link
 * #corrupt()} turns true.
 *
 * <p>Framing (big-endian): {@code total_length:u32, headers_length:u32, prelude_crc:u32, headers,
 * payload, message_crc:u32}; a header is {@code name_len:u8, name, type:u8, value}. Only the string
 * headers {@code :event-type}, {@code :message-type} and {@code :exception-type} are kept.
 */
public final class EventStreamDecoder {

  private static final int PRELUDE = 12;
  private static final int MAX_MESSAGE = 24 * 1024 * 1024;

  /** Receives decoded messages; the payload bytes are valid only during the call. */
  public interface Listener {
    void message(
        String eventType,
        String messageType,
        String exceptionType,
        byte[] buffer,
        int payloadOffset,
        int payloadLength);
  }

  private final CRC32 crc = new CRC32();
  private byte[] buffer = new byte[16 * 1024];
  private int start;
  private int end;
  private boolean corrupt;

  /**
   * What an exception message's payload says: its {@code {"message":…}}, else the payload as it
   * came.
   */
  public static String exceptionMessage(byte[] buffer, int offset, int length) {
    String payload = new String(buffer, offset, length, StandardCharsets.UTF_8);
    try {
      String message = OpenAiJson.MAPPER.readTree(payload).path("message").asText("");
      return message.isEmpty() ? payload : message;
    } catch (IOException | RuntimeException e) {
      return payload;
    }
  }

  /** Appends {@code chunk} and hands every message it completed to {@code listener}. */
  public void feed(byte[] chunk, Listener listener) {
    if (corrupt) {
      return;
    }
    append(chunk);
    while (end - start >= PRELUDE) {
      int total = readInt(start);
      int headersLength = readInt(start + 4);
      if (total < PRELUDE + 4 || total > MAX_MESSAGE || headersLength > total - PRELUDE - 4) {
        fail();
        return;
      }
      if (end - start < total) {
        break;
      }
      crc.reset();
      crc.update(buffer, start, 8);
      if ((int) crc.getValue() != readInt(start + 8)) {
        fail();
        return;
      }
      crc.reset();
      crc.update(buffer, start, total - 4);
      if ((int) crc.getValue() != readInt(start + total - 4)) {
        fail();
        return;
      }
      if (!dispatch(start, total, headersLength, listener)) {
        fail();
        return;
      }
      start += total;
    }
    if (start == end) {
      start = 0;
      end = 0;
    }
  }

  /** Whether a damaged message stopped decoding. */
  public boolean corrupt() {
    return corrupt;
  }

  /** Bytes of an incomplete message held for the next chunk. */
  public int pendingBytes() {
    return end - start;
  }

  private boolean dispatch(int at, int total, int headersLength, Listener listener) {
    String eventType = null;
    String messageType = null;
    String exceptionType = null;
    int i = at + PRELUDE;
    int headersEnd = i + headersLength;
    while (i < headersEnd) {
      int nameLength = buffer[i] & 0xff;
      int nameStart = i + 1;
      if (nameStart + nameLength >= headersEnd) {
        return false;
      }
      int type = buffer[nameStart + nameLength] & 0xff;
      int value = nameStart + nameLength + 1;
      int next = skipValue(type, value);
      if (next < 0 || next > headersEnd) {
        return false;
      }
      if (type == 7) {
        int length = readShort(value);
        if (is(nameStart, nameLength, ":event-type")) {
          eventType = new String(buffer, value + 2, length, StandardCharsets.UTF_8);
        } else if (is(nameStart, nameLength, ":message-type")) {
          messageType = new String(buffer, value + 2, length, StandardCharsets.UTF_8);
        } else if (is(nameStart, nameLength, ":exception-type")) {
          exceptionType = new String(buffer, value + 2, length, StandardCharsets.UTF_8);
        }
      }
      i = next;
    }
    listener.message(
        eventType,
        messageType,
        exceptionType,
        buffer,
        headersEnd,
        total - PRELUDE - 4 - headersLength);
    return true;
  }

  /** Where the header value of {@code type} starting at {@code at} ends, or -1. */
  private int skipValue(int type, int at) {
    return switch (type) {
      case 0, 1 -> at;
      case 2 -> at + 1;
      case 3 -> at + 2;
      case 4 -> at + 4;
      case 5, 8 -> at + 8;
      case 6, 7 -> at + 2 + readShort(at);
      case 9 -> at + 16;
      default -> -1;
    };
  }

  private boolean is(int at, int length, String name) {
    if (length != name.length()) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (buffer[at + k] != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private int readInt(int at) {
    return (buffer[at] & 0xff) << 24
        | (buffer[at + 1] & 0xff) << 16
        | (buffer[at + 2] & 0xff) << 8
        | (buffer[at + 3] & 0xff);
  }

  private int readShort(int at) {
    return (buffer[at] & 0xff) << 8 | (buffer[at + 1] & 0xff);
  }

  private void append(byte[] chunk) {
    if (end + chunk.length > buffer.length) {
      int kept = end - start;
      if (kept + chunk.length > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, kept + chunk.length));
      }
      System.arraycopy(buffer, start, buffer, 0, kept);
      start = 0;
      end = kept;
    }
    System.arraycopy(chunk, 0, buffer, end, chunk.length);
    end += chunk.length;
  }

  private void fail() {
    corrupt = true;
    start = 0;
    end = 0;
  }
}
