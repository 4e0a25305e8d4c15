package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 5);

  @Test
  void doublesPerAttemptUpToTheCapWithJitterBetweenHalfAndOneAndAHalf() {
    assertThat(backoff.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(4, () -> 0.5)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.delay(30, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.delay(1, () -> 0.999)).isEqualTo(Duration.ofMillis(150));
    assertThat(backoff.delay(200, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
  }
}
