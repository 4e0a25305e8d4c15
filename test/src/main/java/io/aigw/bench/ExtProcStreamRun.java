package io.aigw.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * What one streaming run records, whichever generator drives it: the chunks answered and their
 * round trips, and the streams still open or failed. Updated from every event loop, read once every
 * stream has ended.
 */
final class ExtProcStreamRun {

  private final int streams;
  private final long begin = System.nanoTime();
  private final long end;
  private final Recorder rtt = new Recorder(3);
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong open;

  ExtProcStreamRun(int streams, double seconds) {
    this.streams = streams;
    this.end = begin + (long) (seconds * 1e9);
    this.open = new AtomicLong(streams);
  }

  /** Whether a stream should keep sending chunks at {@code now}. */
  boolean running(long now) {
    return now < end;
  }

  void chunkAnswered(long roundTrip) {
    rtt.recordValue(roundTrip);
    chunks.incrementAndGet();
  }

  void streamEnded() {
    open.decrementAndGet();
  }

  void streamFailed(String why) {
    System.err.println("streamed exchange failed: " + why);
    failed.incrementAndGet();
    open.decrementAndGet();
  }

  /** Waits for every stream to end (10 s grace) and sums the run up; a stream left open failed. */
  ExtProcLoad.StreamResult result(int chunkBytes) {
    long deadline = end + TimeUnit.SECONDS.toNanos(10);
    while (open.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    double elapsed = (System.nanoTime() - begin) / 1e9;
    return new ExtProcLoad.StreamResult(
        streams,
        chunks.get(),
        elapsed,
        chunkBytes,
        failed.get() + open.get(),
        rtt.getIntervalHistogram());
  }
}
