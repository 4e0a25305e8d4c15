package io.aigw.projections.runtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seq up to which a host has announced its changes, and futures that wait for it to reach a
 * seq. Waiting by subscribing to the changes and then reading the seq loses a wake-up when the
 * announcement falls between the two; here a waiter is registered before the seq is read, and the
 * announcer reads the waiters after it moved the seq, so one of the two always sees the other.
 */
final class AnnouncedSeq {

  private record Waiter(long seq, Promise<Void> promise) {}

  private final String name;
  private final AtomicLong seq = new AtomicLong();
  private final List<Waiter> waiters = new ArrayList<>();
  private boolean closed;

  /** {@code name} is the host's, for the message of a wait that the close ends. */
  AnnouncedSeq(String name) {
    this.name = name;
  }

  long get() {
    return seq.get();
  }

  /** Moves the seq to {@code announced} and completes every waiter it reaches. */
  void announce(long announced) {
    seq.set(announced);
    release();
  }

  /** Completes once the seq is at least {@code wanted}: at once if it already is. */
  Future<Void> reached(long wanted) {
    Promise<Void> promise = Promise.promise();
    synchronized (waiters) {
      if (closed && seq.get() < wanted) {
        promise.fail(neverAnnounced(wanted));
        return promise.future();
      }
      waiters.add(new Waiter(wanted, promise));
    }
    release();
    return promise.future();
  }

  /** Fails the waiters the seq will never reach now. */
  void close() {
    List<Waiter> left;
    synchronized (waiters) {
      closed = true;
      left = List.copyOf(waiters);
      waiters.clear();
    }
    for (Waiter waiter : left) {
      waiter.promise().tryFail(neverAnnounced(waiter.seq()));
    }
  }

  private IllegalStateException neverAnnounced(long wanted) {
    return new IllegalStateException(name + " closed before seq " + wanted + " was announced");
  }

  private void release() {
    long at = seq.get();
    List<Promise<Void>> due;
    synchronized (waiters) {
      // the fold announces every entry, and almost always no one waits
      if (waiters.isEmpty()) {
        return;
      }
      due = new ArrayList<>();
      waiters.removeIf(
          waiter -> {
            if (waiter.seq() > at) {
              return false;
            }
            due.add(waiter.promise());
            return true;
          });
    }
    // completed outside the lock: a waiter's callbacks may wait for another seq
    due.forEach(Promise::tryComplete);
  }
}
