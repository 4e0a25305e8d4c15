package io.aigw.projections.gateway;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.WatchEvent;

/**
 * Whether Kubernetes is deleting an object: it carries {@code metadata.deletionTimestamp} and stays
 * only until its finalizers are removed. The fold takes such an object out as if it were deleted,
 * as upstream's controllers do: it is on its way out, and whatever routed to or through it would
 * stop without notice when it goes.
 */
public final class BeingDeleted {

  private static final String FIELD = "\"deletionTimestamp\"";

  private BeingDeleted() {}

  /**
   * @throws IllegalArgumentException when the object names the field and is not JSON
   */
  public static boolean test(WatchEvent event) {
    // only a text that names the field is parsed: the check runs on every entry, a delete in
    // progress is rare
    return event.type() != EventType.DELETE
        && event.objectJson().contains(FIELD)
        && CanonicalJson.read(event.objectJson()).path("metadata").hasNonNull("deletionTimestamp");
  }
}
