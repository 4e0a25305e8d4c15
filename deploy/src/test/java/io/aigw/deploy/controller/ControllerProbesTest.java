package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControllerProbesTest {

  @Test
  void aHealthyControllerSaysOkWithoutAReason() {
    JsonObject body = ControllerProbes.health(Optional.empty());

    assertThat(body.getString("status")).isEqualTo("ok");
    assertThat(body.containsKey("reason")).isFalse();
  }

  @Test
  void aFailedControllerTellsTheKindOfFailureButNotItsMessage() {
    IOException failure =
        new IOException(
            "POST https://10.0.0.1:6443/apis/coordination.k8s.io/v1/leases: 401 token=abc123");

    JsonObject body = ControllerProbes.health(Optional.of(failure));

    assertThat(body.getString("status")).isEqualTo("failed");
    assertThat(body.getString("reason")).isEqualTo("IOException");
    assertThat(body.encode()).doesNotContain("6443").doesNotContain("abc123");
  }
}
