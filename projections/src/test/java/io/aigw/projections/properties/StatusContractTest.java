package io.aigw.projections.properties;

import io.aigw.projections.Projection;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;

/** The status of every AI Gateway object, as the gateway fold maintains them. */
class StatusContractTest extends ProjectionContract<GatewayState> {

  @Override
  protected Projection<GatewayState> projection() {
    return new GatewayProjection();
  }

  @Override
  protected String render(GatewayState state) {
    return GatewayProjectionContractTest.statuses(state);
  }

  @Override
  protected Object content(GatewayState state) {
    return state.statuses();
  }
}
