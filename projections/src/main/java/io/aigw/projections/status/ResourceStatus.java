package io.aigw.projections.status;

import io.aigw.core.event.ObjectKey;
import java.util.List;
import java.util.Objects;

/**
 * The status aigw wants on one AI Gateway object: its conditions (one, as upstream: {@code
 * Accepted} or {@code NotAccepted}) for the generation they were computed from, and the uid of the
 * object they are for. An object deleted and created again under the same name is another object
 * without a status, even when generation and conditions come out the same: the uid tells the two
 * statuses apart, so the new one is written.
 */
public record ResourceStatus(
    ObjectKey key, String uid, long observedGeneration, List<Condition> conditions) {

  public ResourceStatus {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uid, "uid");
    conditions = List.copyOf(conditions);
  }

  public boolean isAccepted() {
    return conditions.stream().allMatch(Condition::isAccepted);
  }

  /** The messages of the conditions, joined; what a user reads first. */
  public String message() {
    return String.join("; ", conditions.stream().map(Condition::message).toList());
  }
}
