package io.aigw.projections.filterconfig;

import io.aigw.core.model.HTTPRouteTimeouts;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Whether two sets of route timeouts are the same durations, however written: Gateway API's {@code
 * 1m} and {@code 60s} are one timeout, and must not take two of the HTTPRoute's rules.
 */
final class RouteTimeouts {

  private RouteTimeouts() {}

  static boolean same(HTTPRouteTimeouts a, HTTPRouteTimeouts b) {
    return sameDuration(a.request(), b.request())
        && sameDuration(a.backendRequest(), b.backendRequest());
  }

  private static boolean sameDuration(String a, String b) {
    if (Objects.equals(a, b)) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    OptionalLong left = HTTPRouteTimeouts.millis(a);
    OptionalLong right = HTTPRouteTimeouts.millis(b);
    return left.isPresent() && right.isPresent() && left.getAsLong() == right.getAsLong();
  }
}
