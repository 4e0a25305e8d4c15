package io.aigw.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HTTPRouteTimeoutsTest {

  @Test
  void readsGatewayApiDurations() {
    assertThat(HTTPRouteTimeouts.millis("60s")).hasValue(60_000);
    assertThat(HTTPRouteTimeouts.millis("1m")).hasValue(60_000);
    assertThat(HTTPRouteTimeouts.millis("1h30m")).hasValue(5_400_000);
    assertThat(HTTPRouteTimeouts.millis("1m30s500ms")).hasValue(90_500);
    assertThat(HTTPRouteTimeouts.millis("0s")).hasValue(0);
    assertThat(HTTPRouteTimeouts.millis("")).isEmpty();
    assertThat(HTTPRouteTimeouts.millis("1d")).isEmpty();
    assertThat(HTTPRouteTimeouts.millis("60s ")).isEmpty();
  }
}
