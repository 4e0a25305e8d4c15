package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

class BusyPollStrategyTest {

  private long now = 1_000_000;

  private BusyPollStrategy strategy(long windowNanos) {
    return new BusyPollStrategy(windowNanos, () -> now);
  }

  @Test
  void readyIoIsHandedToTheLoopAtOnce() throws Exception {
    BusyPollStrategy strategy = strategy(50_000);
    assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(3);
  }

  @Test
  void keepsPollingWithinTheWindowAfterTheLastIoThenSleeps() throws Exception {
    BusyPollStrategy strategy = strategy(50_000);
    strategy.calculateStrategy(() -> 1, false);
    now += 49_999;
    assertThat(strategy.calculateStrategy(() -> 0, false)).as("poll again").isZero();
    now += 1;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
  }

  @Test
  void ioWhilePollingRestartsTheWindow() throws Exception {
    BusyPollStrategy strategy = strategy(50_000);
    now += 40_000;
    assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(1);
    // 80 µs after the loop started polling, 40 µs after the I/O
    now += 40_000;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isZero();
  }

  @Test
  void newIoOpensANewWindow() throws Exception {
    BusyPollStrategy strategy = strategy(50_000);
    now += 60_000;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(strategy.calculateStrategy(() -> 2, false)).isEqualTo(2);
    now += 40_000;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isZero();
    // past the window again, kept awake by tasks (no sleep, so no wake): the I/O alone opens it
    now += 20_000;
    assertThat(strategy.calculateStrategy(() -> 0, true)).isZero();
    assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(3);
    now += 40_000;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isZero();
  }

  @Test
  void aWakeFromSleepOpensAWindowForTheMessagesThatFollow() throws Exception {
    BusyPollStrategy strategy = strategy(50_000);
    now += 60_000;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    // epoll woke the loop and it handled the request; the next poll finds nothing new
    now += 5_000;
    assertThat(strategy.calculateStrategy(() -> 0, false))
        .as("poll for the answer's follow-up")
        .isZero();
    now += 49_999;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isZero();
    now += 1;
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
  }

  @Test
  void tasksNeverLetTheLoopSleepButDoNotExtendTheWindow() throws Exception {
    BusyPollStrategy strategy = strategy(50_000);
    now += 60_000;
    assertThat(strategy.calculateStrategy(() -> 0, true)).isZero();
    // a timer's task does not keep an idle loop spinning
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
  }

  @Test
  void aZeroWindowSleepsWheneverNothingIsReadyAsNettysDefaultDoes() throws Exception {
    BusyPollStrategy strategy = strategy(0);
    strategy.calculateStrategy(() -> 1, false);
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    assertThatThrownBy(() -> strategy(-1)).hasMessageContaining("negative");
  }
}
