package io.aigw.extproc.processor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes the ExtProc takes on at once, across all its streams. Receiving, parsing
 * and rewriting a body takes several times its size in heap, so without a limit a burst of large
 * prompts ends in {@link OutOfMemoryError}s that leave their streams unanswered; with one, the
 * requests beyond it get 503 at once and can be retried.
 *
 * <ul>
 *   <li>A body is counted while the processor has it: from its arrival until it has been forwarded
 *       or refused, which takes milliseconds.
 *   <li>A large body ({@code content-length} of at least {@code holdFromBytes}) is counted from its
 *       request headers already, so that a burst is refused before Envoy sends the bodies: they are
 *       in the heap before the processor sees them. Such a hold lapses when the body has not come
 *       within {@code holdNanos} (a slow upload), and the body is then counted when it arrives.
 *   <li>One body is always taken while nothing else is held, so every body up to the size limit is
 *       served on an idle ExtProc whatever its heap.
 * </ul>
 */
public final class RequestBodyBudget {

  /** The share of the heap request bodies may hold: each takes about four times its size. */
  static final int HEAP_DIVISOR = 6;

  /** Bodies from this size on are held from their request headers. */
  static final long HOLD_FROM_BYTES = 1 << 20;

  /** How long a hold waits for its body. */
  static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Bytes announced by request headers and held for the body, until it comes or the hold lapses.
   */
  static final class Hold {
    private final long bytes;
    private final long deadline;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Hold(long bytes, long deadline) {
      this.bytes = bytes;
      this.deadline = deadline;
    }
  }

  private final long limit;
  private final long holdFromBytes;
  private final long holdNanos;
  private final AtomicLong held = new AtomicLong();
  // in the order they were made, which is deadline order up to the threads' interleaving
  private final Queue<Hold> holds = new ConcurrentLinkedQueue<>();

  public RequestBodyBudget(long limit, long holdFromBytes, long holdNanos) {
    if (limit <= 0 || holdFromBytes <= 0 || holdNanos <= 0) {
      throw new IllegalArgumentException(
          "the body budget needs a positive limit, hold size and hold time");
    }
    this.limit = limit;
    this.holdFromBytes = holdFromBytes;
    this.holdNanos = holdNanos;
  }

  /** A sixth of the heap this JVM may grow to; bodies of 1 MiB or more held for 5 s. */
  public static RequestBodyBudget ofHeap() {
    return new RequestBodyBudget(
        Runtime.getRuntime().maxMemory() / HEAP_DIVISOR, HOLD_FROM_BYTES, HOLD_NANOS);
  }

  /** Whether a body of {@code bytes} announced by its headers is held from them. */
  boolean holdsFromHeaders(long bytes) {
    return bytes >= holdFromBytes;
  }

  /** Holds {@code bytes} for a body still to come; null when they do not fit. */
  Hold tryHold(long bytes, long nowNanos) {
    lapse(nowNanos);
    if (!tryTake(bytes)) {
      return null;
    }
    Hold hold = new Hold(bytes, nowNanos + holdNanos);
    holds.add(hold);
    return hold;
  }

  /**
   * Ends {@code hold}, giving its bytes back; false when it had lapsed (they were given back then,
   * and the body must be counted afresh).
   */
  boolean end(Hold hold) {
    if (hold.ended.compareAndSet(false, true)) {
      giveBack(hold.bytes);
      return true;
    }
    return false;
  }

  /** Whether {@code hold} still counts its bytes. */
  boolean holding(Hold hold, long nowNanos) {
    lapse(nowNanos);
    return !hold.ended.get();
  }

  /** Takes {@code bytes} when they fit beside what is held, or when nothing is; false otherwise. */
  boolean tryTake(long bytes) {
    return tryTake(bytes, 0);
  }

  /**
   * Takes {@code bytes} more for a body that holds {@code own} already (a body sent in parts): when
   * they fit beside what is held, or when nothing but the body itself is, so that one body is
   * always served on an otherwise idle ExtProc however it is sent.
   */
  boolean tryTake(long bytes, long own) {
    while (true) {
      long now = held.get();
      if (now - own > 0 && bytes > limit - now) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void giveBack(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Ends the holds whose time is up, and forgets the ones ended already. */
  private void lapse(long nowNanos) {
    for (Hold first = holds.peek();
        first != null && (first.ended.get() || first.deadline - nowNanos <= 0);
        first = holds.peek()) {
      if (holds.remove(first)) {
        end(first);
      }
    }
  }

  /** The bytes held now. */
  public long held() {
    return held.get();
  }

  public long limit() {
    return limit;
  }
}
