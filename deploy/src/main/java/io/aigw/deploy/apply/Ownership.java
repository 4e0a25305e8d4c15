package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.gateway.Names;
import java.util.Optional;

/**
 * Whether aigw may write (or delete) a live object that has the name of one it generates. The
 * generated HTTPRoute takes its AIGatewayRoute's name, so a team's own HTTPRoute of that name, in
 * that namespace, is a real collision: a forced apply would take it over, and deleting the route
 * later would delete it. aigw writes an existing object only when it is aigw's:
 *
 * <ul>
 *   <li>it carries the label {@code app.kubernetes.io/managed-by: aigw} (aigw made it, or someone
 *       handed it over by adding the label); or
 *   <li>it names the owner the desired object names, by uid: it was generated from the same
 *       AIGatewayRoute, for example by the upstream Envoy AI Gateway controller that aigw replaces,
 *       and the garbage collector deletes it with that route anyway.
 * </ul>
 */
final class Ownership {

  private Ownership() {}

  /**
   * Empty when aigw may write {@code live} for {@code desired} (the body aigw would write, with its
   * owner references); else why not, in words for the operator.
   */
  static Optional<String> refusal(ObjectKey key, JsonNode desired, JsonNode live) {
    JsonNode metadata = live.path("metadata");
    if (Names.MANAGED_BY.equals(metadata.path("labels").path(Names.MANAGED_BY_LABEL).asText())) {
      return Optional.empty();
    }
    JsonNode owner = desired.path("metadata").path("ownerReferences").path(0);
    String ownerUid = owner.path("uid").asText("");
    if (!ownerUid.isEmpty()) {
      for (JsonNode reference : metadata.path("ownerReferences")) {
        if (ownerUid.equals(reference.path("uid").asText())) {
          return Optional.empty();
        }
      }
    }
    String ownerText =
        ownerUid.isEmpty()
            ? ""
            : " and is not owned by "
                + owner.path("kind").asText()
                + " "
                + key.namespace()
                + "/"
                + owner.path("name").asText();
    return Optional.of(
        key.kind()
            + " "
            + key.namespace()
            + "/"
            + key.name()
            + " exists but is not aigw's: it has no label "
            + Names.MANAGED_BY_LABEL
            + "="
            + Names.MANAGED_BY
            + ownerText
            + "; aigw leaves it alone. Rename or delete it, or add the label to hand it to aigw");
  }
}
