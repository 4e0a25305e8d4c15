package io.aigw.projections.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.projections.world.ReferenceGrants;
import io.aigw.projections.world.WorldState;
import org.junit.jupiter.api.Test;

class ReferenceGrantsTest {

  private static final ReferenceGrants.Kind POLICY =
      new ReferenceGrants.Kind("aigateway.envoyproxy.io", "BackendSecurityPolicy");
  private static final ReferenceGrants.Kind SECRET = new ReferenceGrants.Kind("", "Secret");

  private static final String GRANT =
      """
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata: {name: policies, namespace: team-b}
      spec:
        from: [{group: aigateway.envoyproxy.io, kind: BackendSecurityPolicy, namespace: team-a}]
        to: [{group: '', kind: Secret, name: idp}]
      """;

  private static WorldState world(String yaml) {
    GatewayProjection projection = new GatewayProjection();
    return projection
        .applyAll(projection.initial(), new Fixtures.Log().upsert(yaml).entries())
        .world();
  }

  @Test
  void aGrantAllowsTheKindsNamespaceAndNameItNames() {
    WorldState world = world(GRANT);
    assertThat(ReferenceGrants.find(world, POLICY, "team-a", SECRET, "team-b", "idp")).hasValue(1L);
    assertThat(ReferenceGrants.find(world, POLICY, "team-a", SECRET, "team-b", "other")).isEmpty();
    assertThat(ReferenceGrants.find(world, POLICY, "team-c", SECRET, "team-b", "idp")).isEmpty();
    assertThat(
            ReferenceGrants.find(
                world,
                new ReferenceGrants.Kind("aigateway.envoyproxy.io", "AIGatewayRoute"),
                "team-a",
                SECRET,
                "team-b",
                "idp"))
        .isEmpty();
    // a grant lives in the namespace referred to
    assertThat(ReferenceGrants.find(world, POLICY, "team-a", SECRET, "team-a", "idp")).isEmpty();
  }

  @Test
  void aGrantWithoutANameAllowsEveryObjectOfTheKind() {
    WorldState world =
        world(GRANT.replace("{group: '', kind: Secret, name: idp}", "{group: '', kind: Secret}"));
    assertThat(ReferenceGrants.find(world, POLICY, "team-a", SECRET, "team-b", "any")).hasValue(1L);
  }

  @Test
  void aGrantBeingDeletedAllowsNothing() {
    WorldState world =
        world(
            GRANT.replace("metadata: {", "metadata: {deletionTimestamp: '2026-11-28T04:00:00Z', "));
    assertThat(ReferenceGrants.find(world, POLICY, "team-a", SECRET, "team-b", "idp")).isEmpty();
  }
}
