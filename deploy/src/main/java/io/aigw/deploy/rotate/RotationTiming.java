package io.aigw.deploy.rotate;

import java.time.Clock;
import java.time.Duration;

/**
 * How the rotators keep time.
 *
 * @param clock what now is
 * @param checkEvery how often the policies are looked at
 * @param exchangeTimeout how long a connect may take, and an answer may keep silent, before an
 *     exchange fails
 */
public record RotationTiming(Clock clock, Duration checkEvery, Duration exchangeTimeout) {

  /** Every 5 s; an exchange may take a minute, as upstream's rotators allow. */
  public static final RotationTiming DEFAULT =
      new RotationTiming(Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofMinutes(1));
}
