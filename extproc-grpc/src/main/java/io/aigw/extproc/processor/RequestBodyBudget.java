package io.aigw.extproc.processor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes the ExtProc takes on at once, across all its streams. A body is counted
 * from the request headers that announce it ({@code content-length}; else from its arrival) until
 * it has been forwarded or refused. Receiving, parsing and rewriting a body takes several times its
 * size in heap, so without a limit a burst of large prompts ends in {@link OutOfMemoryError}s that
 * leave their streams unanswered; with one, the requests beyond it get 503 at once and can be
 * retried. One body is always taken while nothing else is held, so every body up to the size limit
 * is served on any heap.
 */
public final class RequestBodyBudget {

  /**
   * The share of the heap request bodies may hold: each takes about four times its size in transit.
   */
  static final int HEAP_DIVISOR = 6;

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  public RequestBodyBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("the body budget must be positive, got " + limit);
    }
    this.limit = limit;
  }

  /** A sixth of the heap this JVM may grow to. */
  public static RequestBodyBudget ofHeap() {
    return new RequestBodyBudget(Runtime.getRuntime().maxMemory() / HEAP_DIVISOR);
  }

  /** Takes {@code bytes} when they fit beside what is held, or when nothing is; false otherwise. */
  boolean tryTake(long bytes) {
    while (true) {
      long now = held.get();
      if (now > 0 && now + bytes > limit) {
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

  /** The bytes held now. */
  public long held() {
    return held.get();
  }

  public long limit() {
    return limit;
  }
}
