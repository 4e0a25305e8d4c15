package io.aigw.projections.runtime;

import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.projections.snapshot.FoldFailure;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry folded by a host: the state before and after it. When the projection threw, {@code
 * failure} says why and {@code after} is {@code before}. States are immutable values, so a
 * subscriber may keep them and diff them at leisure (the launcher counts changed resources, the
 * admin UI sends what changed).
 */
public record Change<S>(LogEntry entry, S before, S after, Optional<FoldFailure> failure) {

  public Change {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(failure, "failure");
  }

  public long seq() {
    return entry.seq();
  }

  /**
   * The entry in a log line's words: {@code seq 42 UPSERT AIGatewayRoute default/chat}, or {@code
   * seq 43 SourceError routes.yaml:7 <reason>}, {@code seq 44 Created HTTPRoute default/chat}, or
   * {@code seq 45 Rotated the credential of BackendSecurityPolicy default/aws}.
   */
  public String describeEntry() {
    if (entry.event() instanceof WatchEvent event) {
      return "seq " + seq() + " " + event.type() + " " + event.key();
    }
    if (entry.event() instanceof ApplyOutcome outcome) {
      return "seq " + seq() + " " + outcome.describe();
    }
    if (entry.event() instanceof RotationOutcome rotation) {
      return "seq " + seq() + " " + rotation.describe();
    }
    SourceError error = (SourceError) entry.event();
    String where = error.line() > 0 ? error.file() + ":" + error.line() : error.file();
    return "seq " + seq() + " SourceError " + where + " " + error.reason();
  }
}
