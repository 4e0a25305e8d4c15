package io.aigw.core.codec;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The stable binary form of a {@link LogEntry}, used by the file log and the clustered event bus.
 * Big-endian, strings as an int byte length followed by UTF-8:
 *
 * <pre>
 *   u8   format version (1)
 *   i64  seq
 *   i64  recordedAt, epoch seconds
 *   i32  recordedAt, nanoseconds of the second
 *   u8   event tag (see {@link LogEventCodec})
 *   i32  event body length
 *   ...  event body (per variant; the object JSON stays an opaque string)
 * </pre>
 *
 * <p>The event part does not depend on seq or time, so an appender encodes it on its own thread
 * ({@link #encodeEvent}) and the log's writer only adds the header ({@link #writeEntry}).
 */
public final class LogEntryCodec {

  /** The version byte every entry starts with. */
  public static final int FORMAT_VERSION = 1;

  /** Bytes before the event: version, seq, seconds, nanos. */
  public static final int HEADER_BYTES = 1 + 8 + 8 + 4;

  /** The smallest possible entry: a header, a tag and a body length. */
  public static final int MIN_ENTRY_BYTES = HEADER_BYTES + 1 + 4;

  private LogEntryCodec() {}

  /** The whole entry. */
  public static byte[] encode(LogEntry entry) {
    byte[] event = encodeEvent(entry.event());
    ByteBuffer out = ByteBuffer.allocate(entrySize(event));
    writeEntry(out, entry.seq(), entry.recordedAt(), event);
    return out.array();
  }

  /** The event part alone: tag, body length, body. */
  public static byte[] encodeEvent(LogEvent event) {
    BinaryOut out = new BinaryOut(256);
    LogEventCodec.write(event, out);
    return out.toByteArray();
  }

  /** The size of an entry around an encoded event. */
  public static int entrySize(byte[] encodedEvent) {
    return HEADER_BYTES + encodedEvent.length;
  }

  /** Writes a whole entry at the buffer's position, from an event {@link #encodeEvent} made. */
  public static void writeEntry(ByteBuffer out, long seq, Instant recordedAt, byte[] encodedEvent) {
    out.put((byte) FORMAT_VERSION);
    out.putLong(seq);
    out.putLong(recordedAt.getEpochSecond());
    out.putInt(recordedAt.getNano());
    out.put(encodedEvent);
  }

  /** Decodes a whole array. */
  public static LogEntry decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes the entry in {@code bytes[offset, offset + length)}; fails with {@link
   * IllegalArgumentException} when the range does not hold exactly one valid entry.
   */
  public static LogEntry decode(byte[] bytes, int offset, int length) {
    BinaryIn in = new BinaryIn(bytes, offset, length);
    checkVersion(in.readByte());
    long seq = in.readLong();
    long seconds = in.readLong();
    int nanos = in.readInt();
    LogEvent event = LogEventCodec.read(in);
    if (in.remaining() != 0) {
      throw new IllegalArgumentException(in.remaining() + " stray bytes after the log entry");
    }
    return new LogEntry(seq, Instant.ofEpochSecond(seconds, nanos), event);
  }

  /** Decodes the entry between a heap buffer's position and limit; the position moves to it. */
  public static LogEntry decode(ByteBuffer buffer) {
    int length = buffer.remaining();
    LogEntry entry;
    if (buffer.hasArray()) {
      entry = decode(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
      buffer.position(buffer.limit());
    } else {
      byte[] copy = new byte[length];
      buffer.get(copy);
      entry = decode(copy);
    }
    return entry;
  }

  /** Decodes an event part made by {@link #encodeEvent}. */
  public static LogEvent decodeEvent(byte[] encodedEvent) {
    BinaryIn in = new BinaryIn(encodedEvent, 0, encodedEvent.length);
    LogEvent event = LogEventCodec.read(in);
    if (in.remaining() != 0) {
      throw new IllegalArgumentException(in.remaining() + " stray bytes after the event");
    }
    return event;
  }

  /**
   * The seq of the entry at {@code offset} without decoding the rest: how the file log checks
   * continuity and skips entries cheaply.
   */
  public static long seqOf(byte[] bytes, int offset, int length) {
    if (length < MIN_ENTRY_BYTES) {
      throw new IllegalArgumentException("a log entry has at least " + MIN_ENTRY_BYTES + " bytes");
    }
    BinaryIn in = new BinaryIn(bytes, offset, length);
    checkVersion(in.readByte());
    return in.readLong();
  }

  private static void checkVersion(int version) {
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "unknown log entry format version " + version + " (written by a newer aigw?)");
    }
  }
}
