package io.aigw.core.codec;

import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.Outcome;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary form of every {@link LogEvent} variant, one constant per variant. Adding a variant to
 * the log is one change: a new constant here with a new, never reused tag (tags are stored on
 * disk). A test checks that every permitted subclass of {@code LogEvent} has a constant.
 *
 * <p>Within an encoded event the body is preceded by its length, so a later version may append
 * fields to a variant: readers skip what they do not know, and a newer reader gives an older body
 * default values for the fields it lacks.
 */
public enum LogEventCodec {
  WATCH_EVENT(1, WatchEvent.class) {
    @Override
    void writeBody(LogEvent event, BinaryOut out) {
      WatchEvent watch = (WatchEvent) event;
      out.writeString(watch.source());
      out.writeString(watch.apiVersion());
      out.writeString(watch.kind());
      out.writeString(watch.namespace());
      out.writeString(watch.name());
      out.writeString(watch.uid());
      out.writeString(watch.resourceVersion());
      out.writeLong(watch.generation());
      out.writeByte(eventTypeCode(watch.type()));
      out.writeString(watch.objectJson());
    }

    @Override
    LogEvent readBody(BinaryIn in) {
      String source = in.readString();
      String apiVersion = in.readString();
      String kind = in.readString();
      String namespace = in.readString();
      String name = in.readString();
      String uid = in.readString();
      String resourceVersion = in.readString();
      long generation = in.readLong();
      EventType type = eventType(in.readByte());
      String objectJson = in.readString();
      return new WatchEvent(
          source,
          apiVersion,
          kind,
          namespace,
          name,
          uid,
          resourceVersion,
          generation,
          type,
          objectJson);
    }
  },

  SOURCE_ERROR(2, SourceError.class) {
    @Override
    void writeBody(LogEvent event, BinaryOut out) {
      SourceError error = (SourceError) event;
      out.writeString(error.source());
      out.writeString(error.file());
      out.writeInt(error.line());
      out.writeString(error.reason());
    }

    @Override
    LogEvent readBody(BinaryIn in) {
      String source = in.readString();
      String file = in.readString();
      int line = in.readInt();
      String reason = in.readString();
      return new SourceError(source, file, line, reason);
    }
  },

  APPLY_OUTCOME(3, ApplyOutcome.class) {
    @Override
    void writeBody(LogEvent event, BinaryOut out) {
      ApplyOutcome applied = (ApplyOutcome) event;
      out.writeString(applied.source());
      out.writeString(applied.apiVersion());
      out.writeString(applied.kind());
      out.writeString(applied.namespace());
      out.writeString(applied.name());
      out.writeString(applied.subresource());
      out.writeByte(applied.outcome().ordinal() + 1);
      out.writeString(applied.reason());
      out.writeLong(applied.desiredSeq());
    }

    @Override
    LogEvent readBody(BinaryIn in) {
      String source = in.readString();
      String apiVersion = in.readString();
      String kind = in.readString();
      String namespace = in.readString();
      String name = in.readString();
      String subresource = in.readString();
      Outcome outcome = outcome(in.readByte());
      String reason = in.readString();
      long desiredSeq = in.readLong();
      return new ApplyOutcome(
          source, apiVersion, kind, namespace, name, subresource, outcome, reason, desiredSeq);
    }
  },

  ROTATION_OUTCOME(4, RotationOutcome.class) {
    @Override
    void writeBody(LogEvent event, BinaryOut out) {
      RotationOutcome rotation = (RotationOutcome) event;
      out.writeString(rotation.source());
      out.writeString(rotation.namespace());
      out.writeString(rotation.name());
      out.writeString(rotation.uid());
      out.writeLong(rotation.generation());
      out.writeString(rotation.failure());
    }

    @Override
    LogEvent readBody(BinaryIn in) {
      String source = in.readString();
      String namespace = in.readString();
      String name = in.readString();
      String uid = in.readString();
      long generation = in.readLong();
      String failure = in.readString();
      return new RotationOutcome(source, namespace, name, uid, generation, failure);
    }
  };

  private static final Map<Class<?>, LogEventCodec> BY_TYPE = new HashMap<>();
  private static final LogEventCodec[] BY_TAG = new LogEventCodec[256];

  static {
    for (LogEventCodec codec : values()) {
      if (BY_TAG[codec.tag] != null) {
        throw new ExceptionInInitializerError("event tag " + codec.tag + " used twice");
      }
      BY_TAG[codec.tag] = codec;
      BY_TYPE.put(codec.type, codec);
    }
  }

  private final int tag;
  private final Class<? extends LogEvent> type;

  LogEventCodec(int tag, Class<? extends LogEvent> type) {
    this.tag = tag;
    this.type = type;
  }

  /** The byte that names this variant on disk and on the wire (1..255, never reused). */
  public int tag() {
    return tag;
  }

  /** The variant this constant encodes. */
  public Class<? extends LogEvent> type() {
    return type;
  }

  /** The codec of a variant; fails for a class no constant covers. */
  public static LogEventCodec forType(Class<?> eventType) {
    LogEventCodec codec = BY_TYPE.get(eventType);
    if (codec == null) {
      throw new IllegalArgumentException("no binary form for " + eventType.getName());
    }
    return codec;
  }

  static LogEventCodec forTag(int tag) {
    LogEventCodec codec = tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    if (codec == null) {
      throw new IllegalArgumentException(
          "unknown event tag " + tag + " (written by a newer aigw?)");
    }
    return codec;
  }

  /** Writes tag, body length and body. */
  static void write(LogEvent event, BinaryOut out) {
    LogEventCodec codec = forType(event.getClass());
    out.writeByte(codec.tag);
    int lengthAt = out.size();
    out.writeInt(0);
    codec.writeBody(event, out);
    out.putInt(lengthAt, out.size() - lengthAt - 4);
  }

  /** Reads what {@link #write} wrote, skipping body fields appended by a later version. */
  static LogEvent read(BinaryIn in) {
    LogEventCodec codec = forTag(in.readByte());
    int bodyLength = in.readInt();
    if (bodyLength < 0 || bodyLength > in.remaining()) {
      throw new IllegalArgumentException("event body length " + bodyLength + " out of range");
    }
    return codec.readBody(in.slice(bodyLength));
  }

  abstract void writeBody(LogEvent event, BinaryOut out);

  abstract LogEvent readBody(BinaryIn in);

  private static int eventTypeCode(EventType type) {
    switch (type) {
      case UPSERT:
        return 1;
      case DELETE:
        return 2;
      default:
        throw new IllegalArgumentException("no code for event type " + type);
    }
  }

  /** Outcomes are stored as their declaration order plus one: never reorder {@link Outcome}. */
  private static Outcome outcome(int code) {
    Outcome[] outcomes = Outcome.values();
    if (code < 1 || code > outcomes.length) {
      throw new IllegalArgumentException("unknown apply outcome code " + code);
    }
    return outcomes[code - 1];
  }

  private static EventType eventType(int code) {
    switch (code) {
      case 1:
        return EventType.UPSERT;
      case 2:
        return EventType.DELETE;
      default:
        throw new IllegalArgumentException("unknown event type code " + code);
    }
  }
}
