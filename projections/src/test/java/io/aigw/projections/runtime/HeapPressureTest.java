package io.aigw.projections.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeapPressureTest {

  @Test
  void seesTheHeapInUseAfterEachCollection() {
    try (HeapPressure anyUse = HeapPressure.watch(0.0);
        HeapPressure never = HeapPressure.watch(1.0)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                System.gc();
                return anyUse.usedAfterGc() > 0;
              });
      assertThat(anyUse.high()).isTrue();
      assertThat(never.high()).isFalse();
    }
  }
}
