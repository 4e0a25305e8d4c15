package io.aigw.projections.snapshot;

import java.util.Objects;

/**
 * The state of a projection after the entry {@code seq} (0: before the first entry). A disposable
 * cache: it can always be rebuilt by replaying the log up to {@code seq}, and it is only trusted
 * while {@code schemaVersion} equals the version of the projection that reads it.
 */
public record Snapshot<S>(long seq, int schemaVersion, S state) {

  public Snapshot {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, got " + seq);
    }
    Objects.requireNonNull(state, "state");
  }
}
