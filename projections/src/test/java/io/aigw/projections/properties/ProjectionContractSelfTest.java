package io.aigw.projections.properties;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.LogEntry;
import io.aigw.projections.Projection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract catches the bugs it is there for: a fold that mutates, a fold that counts. */
class ProjectionContractSelfTest {

  private static final List<LogEntry> ENTRIES =
      LogEvents.numbered(
          List.of(
              GatewayObjects.upsert(GatewayObjects.backend("default", "openai", "OpenAI")),
              GatewayObjects.upsert(GatewayObjects.gateway("default", "gw", 8080))));

  /** Appends to its state in place instead of returning a new one. */
  private static final class Mutating extends ProjectionContract<List<Long>> {
    @Override
    protected Projection<List<Long>> projection() {
      return new Projection<>() {
        @Override
        public List<Long> initial() {
          return new ArrayList<>();
        }

        @Override
        public List<Long> apply(List<Long> state, LogEntry entry) {
          state.add(entry.seq());
          return state;
        }
      };
    }

    @Override
    protected String render(List<Long> state) {
      return state.toString();
    }
  }

  /** Counts entries, so an upsert and a delete leave a trace. */
  private static final class Counting extends ProjectionContract<Integer> {
    @Override
    protected Projection<Integer> projection() {
      return new Projection<>() {
        @Override
        public Integer initial() {
          return 0;
        }

        @Override
        public Integer apply(Integer state, LogEntry entry) {
          return state + 1;
        }
      };
    }

    @Override
    protected String render(Integer state) {
      return state.toString();
    }
  }

  @Test
  void aFoldThatMutatesItsStateBreaksTheSnapshotLaw() {
    assertThatThrownBy(() -> new Mutating().aStateAtAnySeqPlusTheTailEqualsTheFullFold(ENTRIES))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aFoldThatRemembersEveryEntryBreaksTheUpsertDeleteLaw() {
    assertThatThrownBy(
            () ->
                new Counting()
                    .anUpsertThenADeleteOfAFreshObjectLeavesTheStateAsItWas(
                        ENTRIES, GatewayObjects.backend("default", "azure", "AzureOpenAI")))
        .isInstanceOf(AssertionError.class);
  }
}
