package io.aigw.projections.desired;

import java.util.function.Supplier;

/** A supplier computed once on first use; a race computes twice and keeps one of equal values. */
final class Memo<T> implements Supplier<T> {

  private final Supplier<T> compute;
  private volatile T value;

  Memo(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    T current = value;
    if (current == null) {
      current = compute.get();
      value = current;
    }
    return current;
  }
}
