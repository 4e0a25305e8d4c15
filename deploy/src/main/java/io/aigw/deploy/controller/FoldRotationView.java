package io.aigw.deploy.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.model.AiResource;
import io.aigw.deploy.rotate.RotationView;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.world.ReferenceGrants;
import io.aigw.projections.world.WorldObject;
import java.util.Optional;

/**
 * The rotators' view of the latest fold: its Secrets, ReferenceGrants and failed rotations, without
 * API calls.
 */
final class FoldRotationView implements RotationView {

  private static final ReferenceGrants.Kind POLICY =
      new ReferenceGrants.Kind(AiResource.GROUP, "BackendSecurityPolicy");
  private static final ReferenceGrants.Kind SECRET = new ReferenceGrants.Kind("", "Secret");

  private final ProjectionHost<GatewayState> host;

  FoldRotationView(ProjectionHost<GatewayState> host) {
    this.host = host;
  }

  @Override
  public boolean holds(String namespace, String name, String ownerUid) {
    WorldObject secret =
        host.current().world().objects().get(new ObjectKey("", "Secret", namespace, name));
    if (secret == null) {
      return false;
    }
    if (ownerUid == null || ownerUid.isEmpty()) {
      return true;
    }
    for (JsonNode owner : secret.transientObject().path("metadata").path("ownerReferences")) {
      if (ownerUid.equals(owner.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<RotationOutcome> failure(String namespace, String name) {
    return Optional.ofNullable(
        host.current()
            .catalog()
            .rotationFailures()
            .get(RotationOutcome.policyKey(namespace, name)));
  }

  @Override
  public boolean granted(String fromNamespace, String toNamespace, String secretName) {
    return ReferenceGrants.find(
            host.current().world(), POLICY, fromNamespace, SECRET, toNamespace, secretName)
        .isPresent();
  }
}
