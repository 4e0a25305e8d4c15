package io.aigw.admin.view;

import java.util.List;

/**
 * The result of a shadow replay: the seq it replayed to, how many entries, how long it took, and
 * whether the rebuilt state equals the live one at that seq; when not, what differs (the first
 * {@link #MAX_LISTED} differences, and how many in all).
 */
public record ReplayReport(
    long to,
    long entriesReplayed,
    long millis,
    long entriesPerSecond,
    boolean equal,
    int differenceCount,
    List<Difference> differences) {

  public static final int MAX_LISTED = 100;

  /** One thing that differs: which part of the state, which object, how. */
  public record Difference(
      String part, String group, String kind, String namespace, String name, String what) {}
}
