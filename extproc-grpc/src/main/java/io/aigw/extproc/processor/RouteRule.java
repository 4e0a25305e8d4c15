package io.aigw.extproc.processor;

import java.util.List;
import java.util.Map;

/**
 * A compiled rule: it matches when any of its alternatives matches (each a conjunction of header
 * conditions; an empty alternative, or no alternatives at all, match every request).
 */
public record RouteRule(
    String name, List<List<HeaderCondition>> matches, List<BackendChoice> backends) {

  public RouteRule {
    matches = matches.stream().map(List::copyOf).toList();
    backends = List.copyOf(backends);
  }

  /** Whether the request headers (lower-case names, model header included) match this rule. */
  public boolean test(Map<String, String> headers) {
    if (matches.isEmpty()) {
      return true;
    }
    for (List<HeaderCondition> alternative : matches) {
      boolean all = true;
      for (HeaderCondition condition : alternative) {
        if (!condition.test(headers)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
