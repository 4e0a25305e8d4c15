package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Gateway API {@code HTTPRouteTimeouts}; values are Gateway API durations such as {@code 30s}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HTTPRouteTimeouts(String request, String backendRequest) {

  /** One part of a Gateway API duration ({@code ^([0-9]{1,5}(h|m|s|ms)){1,4}$}). */
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  /**
   * A Gateway API duration in milliseconds ({@code 1m30s} is 90,000); empty when it is not in
   * Gateway API's form.
   */
  public static OptionalLong millis(String duration) {
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
