package io.aigw.deploy.cli;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How a busy-polling event loop waits for I/O: it keeps asking epoll without blocking until {@code
 * windowNanos} have passed since the last I/O, and only then sleeps. A sleeping loop on a VM is
 * woken through an interrupt to a halted vCPU, which costs tens of microseconds at the tail
 * (BENCHMARKS.md); a loop still polling sees the next message at once. Only I/O extends the window,
 * so an idle loop goes back to sleep and its timers fire on time; waiting tasks never let it block,
 * as in Netty's default.
 */
final class BusyPollStrategy implements SelectStrategy {

  private final long windowNanos;
  private final LongSupplier nanoClock;
  private long lastIoNanos;

  BusyPollStrategy(long windowNanos, LongSupplier nanoClock) {
    if (windowNanos < 0) {
      throw new IllegalArgumentException("negative busy-poll window: " + windowNanos);
    }
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
    this.lastIoNanos = nanoClock.getAsLong();
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    int ready = selectNow.get();
    long now = nanoClock.getAsLong();
    if (ready > 0) {
      lastIoNanos = now;
      return ready;
    }
    // zero ready: the loop runs its tasks and asks again
    return hasTasks || now - lastIoNanos < windowNanos ? ready : SelectStrategy.SELECT;
  }
}
