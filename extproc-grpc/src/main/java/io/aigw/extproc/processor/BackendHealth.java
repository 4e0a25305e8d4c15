package io.aigw.extproc.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passive health of backends, shared by all streams of one server: response statuses go in,
 * ejections come out. Time is passed in (nanoseconds of one monotonic clock), so tests drive it.
 * Thread-safe; per-backend updates are atomic.
 */
public final class BackendHealth {

  private final PassiveHealthPolicy policy;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  private record State(int consecutive5xx, int ejections, long ejectedUntil, boolean ejected) {}

  private static final State HEALTHY = new State(0, 0, 0, false);

  public BackendHealth(PassiveHealthPolicy policy) {
    this.policy = policy;
  }

  /** Whether {@code backend} may be chosen at {@code now}. */
  public boolean isAvailable(String backend, long now) {
    State state = states.get(backend);
    return state == null || !state.ejected() || now - state.ejectedUntil() >= 0;
  }

  /** Records the {@code :status} of a response {@code backend} gave at {@code now}. */
  public void record(String backend, int status, long now) {
    if (status >= 500) {
      states.compute(backend, (key, state) -> failed(state == null ? HEALTHY : state, now));
    } else if (states.containsKey(backend)) {
      states.remove(backend);
    }
  }

  private State failed(State state, long now) {
    if (state.ejected() && now - state.ejectedUntil() < 0) {
      return state; // answers of requests sent before the ejection
    }
    int failures = state.consecutive5xx() + 1;
    if (failures < policy.consecutive5xx()) {
      return new State(failures, state.ejections(), state.ejectedUntil(), false);
    }
    int ejections = state.ejections() + 1;
    long duration = policy.baseEjectionNanos();
    for (int i = 1; i < ejections && duration < policy.maxEjectionNanos(); i++) {
      duration *= 2;
    }
    duration = Math.min(duration, policy.maxEjectionNanos());
    return new State(0, ejections, now + duration, true);
  }

  /** The backends ejected at {@code now}, for diagnostics. */
  public java.util.Set<String> ejected(long now) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    states.forEach(
        (name, state) -> {
          if (state.ejected() && now - state.ejectedUntil() < 0) {
            out.add(name);
          }
        });
    return out;
  }
}
