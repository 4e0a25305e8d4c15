package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.world.WorldObject;

/**
 * Whether the route a generated object names as its owner is still there to own it: recorded with
 * that uid and not being deleted. When it is not, the garbage collector is removing its objects and
 * the route's own delete is on its way through the log; putting them back would only make objects
 * that are collected again.
 */
final class OwnerRoute {

  private OwnerRoute() {}

  static boolean isLive(GatewayState state, DesiredResource desired) {
    JsonNode owner = desired.object().path("metadata").path("ownerReferences").path(0);
    if (owner.isMissingNode()) {
      return true;
    }
    ObjectKey key =
        new ObjectKey(
            ObjectKey.groupOf(owner.path("apiVersion").asText()),
            owner.path("kind").asText(),
            desired.key().namespace(),
            owner.path("name").asText());
    WorldObject route = state.world().objects().get(key);
    return route != null
        && route.event().uid().equals(owner.path("uid").asText())
        && route.transientObject().path("metadata").path("deletionTimestamp").isMissingNode();
  }
}
