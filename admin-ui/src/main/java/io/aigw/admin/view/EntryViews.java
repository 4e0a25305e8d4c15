package io.aigw.admin.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.admin.history.LogIndex;
import io.aigw.admin.history.LogIndex.EntryType;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import java.util.Optional;

/** Turns log entries into what the API shows of them. */
public final class EntryViews {

  private EntryViews() {}

  /**
   * The timeline line of {@code entry}; {@code previous} is what the entry before it about the same
   * object did (empty when there is none), which tells a creation from an update.
   */
  public static EntrySummary summary(LogEntry entry, Optional<EntryType> previous) {
    ObjectKey key = LogIndex.keyOf(entry);
    EntryType type = LogIndex.typeOf(entry);
    return new EntrySummary(
        entry.seq(),
        entry.recordedAt().toString(),
        entry.event().source(),
        type.name(),
        key.group(),
        key.kind(),
        key.namespace(),
        key.name(),
        describe(entry, type, previous));
  }

  static String describe(LogEntry entry, EntryType type, Optional<EntryType> previous) {
    if (entry.event() instanceof SourceError error) {
      String where = error.line() > 0 ? error.file() + ":" + error.line() : error.file();
      return (where.isEmpty() ? "source" : where) + ": " + error.reason();
    }
    if (entry.event() instanceof ApplyOutcome outcome) {
      return outcome.describe() + " (desired state of seq " + outcome.desiredSeq() + ")";
    }
    if (entry.event() instanceof RotationOutcome rotation) {
      return rotation.describe() + " (generation " + rotation.generation() + ")";
    }
    WatchEvent event = (WatchEvent) entry.event();
    String what = event.key().toString();
    if (type == EntryType.DELETE) {
      return "deleted " + what;
    }
    boolean created = previous.isEmpty() || previous.get() == EntryType.DELETE;
    if (created) {
      return "created " + what;
    }
    return "updated "
        + what
        + (event.generation() > 0 ? " (generation " + event.generation() + ")" : "");
  }

  /** The object an entry carries, Secrets redacted; empty for a source error. */
  public static Optional<JsonNode> object(LogEntry entry) {
    if (entry.event() instanceof WatchEvent event) {
      return Optional.of(
          SecretRedaction.redact(event.key(), CanonicalJson.read(event.objectJson())));
    }
    return Optional.empty();
  }
}
