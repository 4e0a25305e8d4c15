package io.aigw.deploy.apply;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code n} (1-based) waits {@code min(max, base ·
 * 2^(n-1))} scaled by a random factor in [0.5, 1.5), so that the retries of many objects failing
 * together spread out instead of arriving in waves.
 */
public record Backoff(Duration base, Duration max, int maxAttempts) {

  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 10);

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
  }

  /** The wait before retry {@code attempt} (1 = the first retry); {@code random} in [0, 1). */
  public Duration delay(int attempt, DoubleSupplier random) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long capped = Math.min(max.toMillis(), base.toMillis() << doublings);
    return Duration.ofMillis(Math.round(capped * (0.5 + random.getAsDouble())));
  }
}
