package io.aigw.projections.snapshot;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The snapshots a host keeps, by seq: an immutable value, so a reader holding one sees a consistent
 * set while the host moves on. States are persistent structures, so two snapshots share every part
 * that did not change between them; what a snapshot costs is what changed since the previous one.
 *
 * <p>A state is kept at every multiple of the {@link #stride()}, which starts at the policy's
 * interval. When more than {@link SnapshotPolicy#maxRetained()} would be kept, the stride doubles
 * and the snapshots that are not multiples of it go: the snapshots stay evenly spaced over the
 * whole log, at most {@code max(interval, 2 * latestSeq / (maxRetained + 1))} entries apart, which
 * bounds the fold {@code stateAt} has to do from the nearest one.
 */
public final class Snapshots<S> {

  private final SnapshotPolicy policy;
  private final long stride;
  private final PSortedMap<Long, Snapshot<S>> bySeq;

  private Snapshots(SnapshotPolicy policy, long stride, PSortedMap<Long, Snapshot<S>> bySeq) {
    this.policy = policy;
    this.stride = stride;
    this.bySeq = bySeq;
  }

  /** No snapshot yet. */
  public static <S> Snapshots<S> empty(SnapshotPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return new Snapshots<>(policy, policy.interval(), TreePMap.empty());
  }

  public SnapshotPolicy policy() {
    return policy;
  }

  /** The distance between kept snapshots: the interval, doubled each time the set was thinned. */
  public long stride() {
    return stride;
  }

  /** Keeps {@code state} as the state after {@code seq} when {@code seq} is a stride multiple. */
  public Snapshots<S> offer(long seq, S state) {
    if (seq <= 0 || seq % stride != 0) {
      return this;
    }
    return with(new Snapshot<>(seq, policy.schemaVersion(), state));
  }

  /**
   * Keeps {@code snapshot} whatever its seq (a snapshot loaded from elsewhere, the state a host
   * started from) until the next thinning; one of another schema version is ignored.
   */
  public Snapshots<S> with(Snapshot<S> snapshot) {
    if (snapshot.schemaVersion() != policy.schemaVersion()) {
      return this;
    }
    PSortedMap<Long, Snapshot<S>> kept = bySeq.plus(snapshot.seq(), snapshot);
    long keptStride = stride;
    while (kept.size() > policy.maxRetained()) {
      keptStride *= 2;
      for (Long seq : kept.keySet()) {
        if (seq % keptStride != 0) {
          kept = kept.minus(seq);
        }
      }
    }
    return new Snapshots<>(policy, keptStride, kept);
  }

  /** The snapshot with the greatest seq at or below {@code seq}. */
  public Optional<Snapshot<S>> nearest(long seq) {
    Map.Entry<Long, Snapshot<S>> floor = bySeq.floorEntry(seq);
    return floor == null ? Optional.empty() : Optional.of(floor.getValue());
  }

  /** Every snapshot kept, in seq order. */
  public List<Snapshot<S>> all() {
    return List.copyOf(bySeq.values());
  }

  public int size() {
    return bySeq.size();
  }

  @Override
  public String toString() {
    return "Snapshots" + bySeq.keySet() + " stride " + stride + " " + policy;
  }
}
