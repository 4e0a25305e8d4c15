package io.aigw.projections;

import io.aigw.core.event.LogEntry;

/**
 * A pure fold of the log. {@code apply} reads nothing but its arguments: no clock, no randomness,
 * no I/O. The same log prefix always yields the same state, so any state can be rebuilt by replay
 * and a snapshot is only a cache. States are immutable values; {@code apply} returns a new one and
 * never changes its argument.
 */
public interface Projection<S> {

  /** The state before the first entry. */
  S initial();

  /** The state after {@code entry}; entries arrive in seq order, each exactly once. */
  S apply(S state, LogEntry entry);

  /**
   * Computes now, on the caller's thread, whatever {@code state} would otherwise derive on its
   * first read, so that a reader on an event loop finds it done. Never changes a result; a
   * projection whose states derive nothing lazily does nothing.
   */
  default void settle(S state) {}

  /**
   * Does ahead, on another thread, the work {@link #apply} will need of {@code entry} alone
   * (parsing, validating), so that a host's reading thread and its fold thread share a replay or a
   * {@code stateAt}. Must be thread-safe, must not change what {@code apply} computes, and may be
   * skipped; what it throws is ignored (apply meets the same problem and reports it).
   */
  default void prepare(LogEntry entry) {}

  /** Folds entries onto a state; a convenience for replay and tests. */
  default S applyAll(S state, Iterable<LogEntry> entries) {
    S current = state;
    for (LogEntry entry : entries) {
      current = apply(current, entry);
    }
    return current;
  }
}
