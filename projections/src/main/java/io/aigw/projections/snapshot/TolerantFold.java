package io.aigw.projections.snapshot;

import io.aigw.core.event.LogEntry;
import io.aigw.projections.Projection;
import java.util.Objects;
import java.util.Optional;

/**
 * A projection that survives its own bugs: an entry on which the wrapped fold throws leaves the
 * state as it was and is reported as a {@link FoldFailure}. Hosts, replays and {@code stateAt} all
 * fold through this one class, so they skip exactly the same entries.
 */
public final class TolerantFold<S> implements Projection<S> {

  private final Projection<S> projection;

  public TolerantFold(Projection<S> projection) {
    this.projection = Objects.requireNonNull(projection, "projection");
  }

  /** The state after one entry and, when the fold threw, why it was skipped. */
  public record Step<S>(S state, Optional<FoldFailure> failure) {}

  public Projection<S> projection() {
    return projection;
  }

  @Override
  public S initial() {
    return projection.initial();
  }

  public Step<S> step(S state, LogEntry entry) {
    try {
      S next = projection.apply(state, entry);
      if (next == null) {
        throw new NullPointerException(projection.getClass().getName() + " returned no state");
      }
      return new Step<>(next, Optional.empty());
    } catch (RuntimeException e) {
      return new Step<>(state, Optional.of(FoldFailure.of(entry.seq(), e)));
    }
  }

  @Override
  public S apply(S state, LogEntry entry) {
    return step(state, entry).state();
  }
}
