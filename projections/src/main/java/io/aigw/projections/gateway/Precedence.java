package io.aigw.projections.gateway;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Gateway API precedence between objects that claim the same thing: the oldest first, then by
 * namespace/name. An object without a readable {@code creationTimestamp} counts as the newest.
 */
final class Precedence {

  private Precedence() {}

  static Instant created(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }
}
