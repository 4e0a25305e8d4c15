package io.aigw.projections.snapshot;

import io.aigw.core.event.LogEntry;
import java.util.Objects;

/**
 * Where a fold stands: the state after the entry {@code seq} and the snapshots kept on the way. One
 * immutable value, so a host can publish state and snapshots together with one reference swap and
 * no reader ever sees a state without its snapshots or half an update.
 */
public record FoldPosition<S>(long seq, S state, Snapshots<S> snapshots) {

  public FoldPosition {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(snapshots, "snapshots");
  }

  /** The position before the first entry. */
  public static <S> FoldPosition<S> initial(S state, SnapshotPolicy policy) {
    return new FoldPosition<>(0, state, Snapshots.empty(policy));
  }

  /** Resumes from a snapshot, which is kept so that {@code stateAt} can start from it too. */
  public static <S> FoldPosition<S> resume(Snapshot<S> from, SnapshotPolicy policy) {
    if (from.schemaVersion() != policy.schemaVersion()) {
      throw new IllegalArgumentException(
          "snapshot has schema version "
              + from.schemaVersion()
              + ", the projection "
              + policy.schemaVersion());
    }
    return new FoldPosition<>(from.seq(), from.state(), Snapshots.<S>empty(policy).with(from));
  }

  /** The entry this position expects next. */
  public long nextSeq() {
    return seq + 1;
  }

  /** The position after {@code entry}, whose fold gave {@code after}. */
  public FoldPosition<S> advance(LogEntry entry, S after) {
    if (entry.seq() != nextSeq()) {
      throw new IllegalArgumentException(
          "expected seq " + nextSeq() + " but got " + entry.seq() + ": entries must be gap-free");
    }
    return new FoldPosition<>(entry.seq(), after, snapshots.offer(entry.seq(), after));
  }

  /**
   * The nearest state at or below {@code target} to fold from: the position itself when {@code
   * target} is at or beyond it, else the nearest snapshot, else {@code initial} at seq 0.
   */
  public Snapshot<S> baseFor(long target, S initial) {
    if (target >= seq) {
      return new Snapshot<>(seq, snapshots.policy().schemaVersion(), state);
    }
    return snapshots
        .nearest(target)
        .orElseGet(() -> new Snapshot<>(0, snapshots.policy().schemaVersion(), initial));
  }
}
