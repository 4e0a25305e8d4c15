package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.world.WorldObject;

/**
 * Whether the route a generated object names as its owner is still there to own it: recorded with
 * that uid. A route deleted and made again whose new version is invalid keeps its old version, and
 * so the objects owned by the old uid, in effect; the garbage collector is removing those, and
 * putting them back would only make objects that are collected again. (A route being deleted has no
 * desired objects at all: the fold counts it as deleted.)
 */
final class OwnerRoute {

  private OwnerRoute() {}

  static boolean isLive(GatewayState state, DesiredResource desired) {
    JsonNode owner = desired.object().path("metadata").path("ownerReferences").path(0);
    if (owner.isMissingNode()) {
      return true;
    }
    ObjectKey key =
        ObjectKey.of(
            owner.path("apiVersion").asText(),
            owner.path("kind").asText(),
            desired.key().namespace(),
            owner.path("name").asText());
    WorldObject route = state.world().objects().get(key);
    return route != null && route.event().uid().equals(owner.path("uid").asText());
  }
}
