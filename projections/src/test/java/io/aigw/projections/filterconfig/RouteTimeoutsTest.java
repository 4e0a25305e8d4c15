package io.aigw.projections.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.model.HTTPRouteTimeouts;
import org.junit.jupiter.api.Test;

class RouteTimeoutsTest {

  @Test
  void readsGatewayApiDurations() {
    assertThat(RouteTimeouts.millis("60s")).hasValue(60_000);
    assertThat(RouteTimeouts.millis("1m")).hasValue(60_000);
    assertThat(RouteTimeouts.millis("1h30m")).hasValue(5_400_000);
    assertThat(RouteTimeouts.millis("1m30s500ms")).hasValue(90_500);
    assertThat(RouteTimeouts.millis("0s")).hasValue(0);
    assertThat(RouteTimeouts.millis("")).isEmpty();
    assertThat(RouteTimeouts.millis("1d")).isEmpty();
    assertThat(RouteTimeouts.millis("60s ")).isEmpty();
  }

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
