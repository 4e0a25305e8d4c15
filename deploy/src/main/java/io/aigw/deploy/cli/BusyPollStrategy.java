package io.aigw.deploy.cli;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How a busy-polling event loop waits for I/O: it keeps asking epoll without blocking until {@code
 * windowNanos} have passed since it last saw I/O or woke from sleep, and only then sleeps. A
 * sleeping loop on a VM is woken through an interrupt to a halted vCPU, which costs tens of
 * microseconds at the tail (BENCHMARKS.md, "Event loops that poll before they sleep"); a loop still
 * polling sees the next message at once. Waiting tasks never let it block, as in Netty's default,
 * but do not extend the window, so an idle loop goes back to sleep.
 */
final class BusyPollStrategy implements SelectStrategy {

  private final long windowNanos;
  private final LongSupplier nanoClock;
  private long windowStartNanos;
  private boolean slept;

  BusyPollStrategy(long windowNanos, LongSupplier nanoClock) {
    if (windowNanos < 0) {
      throw new IllegalArgumentException("negative busy-poll window: " + windowNanos);
    }
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
    this.windowStartNanos = nanoClock.getAsLong();
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    int ready = selectNow.get();
    long now = nanoClock.getAsLong();
    // the loop handles what woke it without asking here: a wake from sleep opens a window too
    if (ready > 0 || slept) {
      windowStartNanos = now;
      slept = false;
    }
    if (ready > 0 || hasTasks || now - windowStartNanos < windowNanos) {
      // the loop handles what is ready, runs its tasks and asks again
      return ready;
    }
    slept = true;
    return SelectStrategy.SELECT;
  }
}
