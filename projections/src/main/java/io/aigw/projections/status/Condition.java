package io.aigw.projections.status;

import java.util.Objects;

/**
 * A status condition as upstream writes it, without {@code lastTransitionTime}: the fold has no
 * clock, the status writer stamps the time when it writes a condition that changed.
 */
public record Condition(String type, String status, String reason, String message) {

  public static final String ACCEPTED = "Accepted";
  public static final String NOT_ACCEPTED = "NotAccepted";

  public Condition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public static Condition accepted(String message) {
    return new Condition(ACCEPTED, "True", "ReconciliationSucceeded", message);
  }

  public static Condition notAccepted(String message) {
    return new Condition(NOT_ACCEPTED, "False", "ReconciliationFailed", message);
  }

  public boolean isAccepted() {
    return ACCEPTED.equals(type);
  }
}
