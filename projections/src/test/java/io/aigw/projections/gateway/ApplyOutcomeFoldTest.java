package io.aigw.projections.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.Outcome;
import io.aigw.projections.runtime.Change;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The applier's outcomes are history, never an input: every fold passes over them. */
class ApplyOutcomeFoldTest {

  private static final ApplyOutcome CREATED =
      new ApplyOutcome(
          "k8s:test",
          "gateway.networking.k8s.io/v1",
          "HTTPRoute",
          "default",
          "chat",
          "",
          Outcome.CREATED,
          "",
          2);

  @Test
  void anApplyOutcomeChangesNothingButTheSeq() {
    GatewayProjection projection = new GatewayProjection();
    GatewayState state =
        projection.applyAll(
            projection.initial(),
            new Fixtures.Log()
                .upsert(GatewayProjectionTest.ROUTE + "---\n" + GatewayProjectionTest.BACKEND)
                .entries());
    GatewayState after = projection.apply(state, new LogEntry(3, Instant.EPOCH, CREATED));
    assertThat(after.seq()).isEqualTo(3);
    assertThat(after.sameOutputs(state)).isTrue();
    assertThat(after.world().objects()).isEqualTo(state.world().objects());
  }

  @Test
  void aChangeDescribesAnApplyOutcome() {
    LogEntry entry = new LogEntry(44, Instant.EPOCH, CREATED);
    Change<GatewayState> change =
        new Change<>(entry, GatewayState.EMPTY, GatewayState.EMPTY, Optional.empty());
    assertThat(change.describeEntry()).isEqualTo("seq 44 Created HTTPRoute default/chat");
  }
}
