package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.status.Condition;
import io.aigw.projections.status.ResourceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusPatchTest {

  static final ObjectKey KEY = new ObjectKey("aigateway.envoyproxy.io", "AIGatewayRoute", "n", "r");
  static final Instant T1 = Instant.parse("2025-01-01T10:00:00.123Z");
  static final Instant T2 = Instant.parse("2025-01-01T11:00:00Z");

  static ResourceStatus status(long generation, Condition condition) {
    return new ResourceStatus(KEY, "uid-1", generation, List.of(condition));
  }

  static JsonNode withStatus(ObjectNode patch) {
    return CanonicalJson.read(
        "{\"metadata\":{\"name\":\"r\"}," + CanonicalJson.write(patch).substring(1));
  }

  @Test
  void aFirstStatusIsStampedWithTheTimeInSecondsAndTheGeneration() {
    ObjectNode patch =
        StatusPatch.of(status(3, Condition.accepted("ok")), CanonicalJson.read("{}"), T1)
            .orElseThrow();
    JsonNode condition = patch.at("/status/conditions/0");
    assertThat(condition.path("type").asText()).isEqualTo("Accepted");
    assertThat(condition.path("status").asText()).isEqualTo("True");
    assertThat(condition.path("reason").asText()).isEqualTo("ReconciliationSucceeded");
    assertThat(condition.path("observedGeneration").asLong()).isEqualTo(3);
    assertThat(condition.path("lastTransitionTime").asText()).isEqualTo("2025-01-01T10:00:00Z");
  }

  @Test
  void theSameStatusAgainIsNoWrite() {
    ResourceStatus wanted = status(3, Condition.accepted("ok"));
    JsonNode live = withStatus(StatusPatch.of(wanted, CanonicalJson.read("{}"), T1).orElseThrow());
    assertThat(StatusPatch.of(wanted, live, T2)).isEmpty();
  }

  @Test
  void aNewMessageOrGenerationKeepsTheTransitionTimeANewStatusMovesIt() {
    JsonNode live =
        withStatus(
            StatusPatch.of(status(3, Condition.notAccepted("a")), CanonicalJson.read("{}"), T1)
                .orElseThrow());

    Optional<ObjectNode> message = StatusPatch.of(status(4, Condition.notAccepted("b")), live, T2);
    assertThat(message.orElseThrow().at("/status/conditions/0/lastTransitionTime").asText())
        .isEqualTo("2025-01-01T10:00:00Z");
    assertThat(message.orElseThrow().at("/status/conditions/0/observedGeneration").asLong())
        .isEqualTo(4);

    Optional<ObjectNode> accepted = StatusPatch.of(status(4, Condition.accepted("ok")), live, T2);
    assertThat(accepted.orElseThrow().at("/status/conditions/0/lastTransitionTime").asText())
        .isEqualTo("2025-01-01T11:00:00Z");
    assertThat(accepted.orElseThrow().at("/status/conditions")).hasSize(1);
  }
}
