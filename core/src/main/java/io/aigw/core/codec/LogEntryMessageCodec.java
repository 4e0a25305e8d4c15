package io.aigw.core.codec;

import io.aigw.core.event.LogEntry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries {@link LogEntry} values on the event bus. Locally the consumer receives the very object
 * that was published (entries are immutable, so sharing is safe and costs nothing); across a
 * cluster the entry travels in the {@link LogEntryCodec} binary form.
 */
public final class LogEntryMessageCodec implements MessageCodec<LogEntry, LogEntry> {

  public static final String NAME = "aigw-log-entry";

  /**
   * Makes this the default codec for {@code LogEntry} on the bus. Safe to call more than once: the
   * log publisher and every consumer may call it, whoever starts first.
   */
  public static void registerOn(EventBus bus) {
    synchronized (LogEntryMessageCodec.class) {
      try {
        bus.registerDefaultCodec(LogEntry.class, new LogEntryMessageCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // Vert.x offers no lookup, and a second registration changes nothing: ignore it.
      }
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, LogEntry entry) {
    byte[] bytes = LogEntryCodec.encode(entry);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public LogEntry decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return LogEntryCodec.decode(buffer.getBytes(pos + 4, pos + 4 + length));
  }

  @Override
  public LogEntry transform(LogEntry entry) {
    return entry;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
