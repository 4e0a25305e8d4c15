package io.aigw.projections.snapshot;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
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
 *
 * <p>Under a {@linkplain SnapshotPolicy#soft() soft} policy the states are softly reachable: one
 * the collector dropped no longer counts, and {@link #nearest} skips it. Which snapshot a read
 * starts from can then vary; what it computes cannot, since every snapshot equals the replay.
 */
public final class Snapshots<S> {

  private final SnapshotPolicy policy;
  private final long stride;
  private final PSortedMap<Long, Held<S>> bySeq;

  private Snapshots(SnapshotPolicy policy, long stride, PSortedMap<Long, Held<S>> bySeq) {
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
    PSortedMap<Long, Held<S>> kept = withoutReleased(bySeq).plus(snapshot.seq(), hold(snapshot));
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

  /**
   * Half as many snapshots, still evenly spaced: the stride doubles and the snapshots that are not
   * multiples of it go. For a host short of memory.
   */
  public Snapshots<S> thinned() {
    long doubled = stride * 2;
    PSortedMap<Long, Held<S>> kept = bySeq;
    for (Long seq : bySeq.keySet()) {
      if (seq % doubled != 0) {
        kept = kept.minus(seq);
      }
    }
    return new Snapshots<>(policy, doubled, kept);
  }

  /** The snapshot with the greatest seq at or below {@code seq} (that is still held). */
  public Optional<Snapshot<S>> nearest(long seq) {
    for (Map.Entry<Long, Held<S>> entry : bySeq.headMap(seq, true).descendingMap().entrySet()) {
      Optional<Snapshot<S>> held = entry.getValue().get(entry.getKey(), policy.schemaVersion());
      if (held.isPresent()) {
        return held;
      }
    }
    return Optional.empty();
  }

  /** Every snapshot held, in seq order. */
  public List<Snapshot<S>> all() {
    List<Snapshot<S>> all = new ArrayList<>(bySeq.size());
    bySeq.forEach((seq, held) -> held.get(seq, policy.schemaVersion()).ifPresent(all::add));
    return List.copyOf(all);
  }

  /** How many snapshots are held. */
  public int size() {
    return all().size();
  }

  private Held<S> hold(Snapshot<S> snapshot) {
    return policy.soft()
        ? new Soft<>(new SoftReference<>(snapshot.state()))
        : new Strong<>(snapshot.state());
  }

  private PSortedMap<Long, Held<S>> withoutReleased(PSortedMap<Long, Held<S>> held) {
    PSortedMap<Long, Held<S>> kept = held;
    for (Map.Entry<Long, Held<S>> entry : held.entrySet()) {
      if (entry.getValue().get(entry.getKey(), policy.schemaVersion()).isEmpty()) {
        kept = kept.minus(entry.getKey());
      }
    }
    return kept;
  }

  /** A kept state, strongly or softly. */
  private sealed interface Held<S> permits Strong, Soft {
    Optional<S> state();

    default Optional<Snapshot<S>> get(long seq, int schemaVersion) {
      return state().map(state -> new Snapshot<>(seq, schemaVersion, state));
    }
  }

  private record Strong<S>(S value) implements Held<S> {
    @Override
    public Optional<S> state() {
      return Optional.of(value);
    }
  }

  private record Soft<S>(SoftReference<S> value) implements Held<S> {
    @Override
    public Optional<S> state() {
      return Optional.ofNullable(value.get());
    }
  }

  @Override
  public String toString() {
    return "Snapshots" + bySeq.keySet() + " stride " + stride + " " + policy;
  }
}
