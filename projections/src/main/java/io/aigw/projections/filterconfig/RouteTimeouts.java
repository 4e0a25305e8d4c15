package io.aigw.projections.filterconfig;

import io.aigw.core.model.HTTPRouteTimeouts;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two sets of route timeouts are the same durations, however written: Gateway API's {@code
 * 1m} and {@code 60s} are one timeout, and must not take two of the HTTPRoute's rules.
 */
final class RouteTimeouts {

  /** One part of a Gateway API duration ({@code ^([0-9]{1,5}(h|m|s|ms)){1,4}$}). */
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

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
    OptionalLong left = millis(a);
    OptionalLong right = millis(b);
    return left.isPresent() && right.isPresent() && left.getAsLong() == right.getAsLong();
  }

  /** The duration in milliseconds; empty when it is not in Gateway API's form. */
  static OptionalLong millis(String duration) {
    Matcher part = PART.matcher(duration);
    long total = 0;
    int end = 0;
    while (part.lookingAt()) {
      long value = Long.parseLong(part.group(1));
      total +=
          switch (part.group(2)) {
            case "h" -> value * 3_600_000;
            case "m" -> value * 60_000;
            case "s" -> value * 1_000;
            default -> value;
          };
      end = part.end();
      part.region(end, duration.length());
    }
    return end == duration.length() && end > 0 ? OptionalLong.of(total) : OptionalLong.empty();
  }
}
