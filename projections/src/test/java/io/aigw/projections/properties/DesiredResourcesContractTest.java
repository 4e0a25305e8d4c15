package io.aigw.projections.properties;

import io.aigw.projections.Projection;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;

/** The desired resources, with their provenance, as the gateway fold maintains them. */
class DesiredResourcesContractTest extends ProjectionContract<GatewayState> {

  @Override
  protected Projection<GatewayState> projection() {
    return new GatewayProjection();
  }

  @Override
  protected String render(GatewayState state) {
    return GatewayProjectionContractTest.desired(state);
  }

  @Override
  protected Object content(GatewayState state) {
    return state.desired();
  }
}
