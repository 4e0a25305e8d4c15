package io.aigw.projections.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.model.HTTPRouteTimeouts;
import org.junit.jupiter.api.Test;

class RouteTimeoutsTest {

  @Test
  void theSameDurationsWrittenOtherwiseAreTheSameTimeouts() {
    assertThat(
            RouteTimeouts.same(
                new HTTPRouteTimeouts("60s", null), new HTTPRouteTimeouts("1m", null)))
        .isTrue();
    assertThat(
            RouteTimeouts.same(
                new HTTPRouteTimeouts("2m", "30s"), new HTTPRouteTimeouts("120s", "30000ms")))
        .isTrue();
    assertThat(
            RouteTimeouts.same(
                new HTTPRouteTimeouts("60s", "10s"), new HTTPRouteTimeouts("1m", null)))
        .isFalse();
    assertThat(
            RouteTimeouts.same(
                new HTTPRouteTimeouts("60s", null), new HTTPRouteTimeouts("61s", null)))
        .isFalse();
  }
}
