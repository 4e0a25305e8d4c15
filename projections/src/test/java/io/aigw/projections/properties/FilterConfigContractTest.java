package io.aigw.projections.properties;

import io.aigw.projections.Projection;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;

/** Each route's filter config (the ExtProc's input), as the gateway fold maintains them. */
class FilterConfigContractTest extends ProjectionContract<GatewayState> {

  @Override
  protected Projection<GatewayState> projection() {
    return new GatewayProjection();
  }

  @Override
  protected String render(GatewayState state) {
    return GatewayProjectionContractTest.filterConfigs(state);
  }

  @Override
  protected Object content(GatewayState state) {
    return state.filterConfigs();
  }
}
