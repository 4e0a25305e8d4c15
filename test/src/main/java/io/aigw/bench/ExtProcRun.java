package io.aigw.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * What one open-loop run of buffered exchanges records, whichever generator drives it: updated from
 * every event loop, read once all exchanges have ended.
 */
final class ExtProcRun {

  private final Recorder added = new Recorder(3);
  private final Recorder roundTrips = new Recorder(3);
  private final Recorder lag = new Recorder(3);
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failedCount = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong lastDone = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();

  long finished() {
    return completed.get() + failedCount.get();
  }

  /**
   * An exchange due at {@code due} whose first message left at {@code firstSend} and that waited
   * {@code waited} in all for answers ended at {@code now}; latency counts from the intended send.
   */
  void done(long due, long firstSend, long waited, long now, boolean valid) {
    long late = Math.max(0, firstSend - due);
    lag.recordValue(late);
    roundTrips.recordValue(waited);
    added.recordValue(late + waited);
    if (!valid) {
      invalid.incrementAndGet();
    }
    lastDone.accumulateAndGet(now, Math::max);
    completed.incrementAndGet();
  }

  void failed(String why) {
    firstFailure.compareAndSet(null, why);
    failedCount.incrementAndGet();
    lastDone.accumulateAndGet(System.nanoTime(), Math::max);
  }

  /**
   * Waits for the {@code sent} exchanges begun at {@code begin} to end (every exchange ends before
   * the next run starts, so runs do not leak load into each other) and sums the run up.
   */
  ExtProcLoad.RunResult result(
      int rate, double seconds, long total, long sent, long begin, boolean saturated) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (finished() < sent && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    if (finished() < sent) {
      throw new IllegalStateException(
          (sent - finished()) + " exchanges still open 30 s after the run: server stuck");
    }
    long done = completed.get();
    long span = Math.max(1, lastDone.get() - begin);
    return new ExtProcLoad.RunResult(
        rate,
        done * 1e9 / Math.max(span, (long) (seconds * 1e9)),
        done,
        total - done,
        invalid.get(),
        saturated,
        firstFailure.get(),
        added.getIntervalHistogram(),
        roundTrips.getIntervalHistogram(),
        lag.getIntervalHistogram());
  }
}
