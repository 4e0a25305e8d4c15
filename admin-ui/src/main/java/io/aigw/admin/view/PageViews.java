package io.aigw.admin.view;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Builds the items of a page on every core. An item of a state or a diff page may render objects
 * and YAML (a ConfigMap's filter config alone takes most of a millisecond), and a page has up to a
 * thousand of them, while the request that wants them waits on one thread.
 */
final class PageViews {

  /** From how many items a page is built in parallel. */
  private static final int PARALLEL_FROM = 16;

  private PageViews() {}

  /** {@code view} of 0..count-1, in that order. */
  static <T> List<T> inOrder(int count, IntFunction<T> view) {
    IntStream indexes = IntStream.range(0, count);
    if (count >= PARALLEL_FROM) {
      indexes = indexes.parallel();
    }
    return indexes.mapToObj(view).toList();
  }
}
