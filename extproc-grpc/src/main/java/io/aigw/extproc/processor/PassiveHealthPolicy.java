package io.aigw.extproc.processor;

/**
 * When a backend is taken out of rotation: after {@code consecutive5xx} 5xx responses in a row it
 * is ejected for {@code baseEjectionNanos}, doubled on each further ejection that follows without a
 * success in between, up to {@code maxEjectionNanos}.
 */
public record PassiveHealthPolicy(
    int consecutive5xx, long baseEjectionNanos, long maxEjectionNanos) {

  /** 3 consecutive 5xx; 10 s, doubling up to 5 min. */
  public static final PassiveHealthPolicy DEFAULT =
      new PassiveHealthPolicy(3, 10_000_000_000L, 300_000_000_000L);

  public PassiveHealthPolicy {
    if (consecutive5xx < 1 || baseEjectionNanos < 0 || maxEjectionNanos < baseEjectionNanos) {
      throw new IllegalArgumentException("invalid passive health policy");
    }
  }
}
