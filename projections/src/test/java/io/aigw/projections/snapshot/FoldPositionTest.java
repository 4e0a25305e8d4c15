package io.aigw.projections.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.SourceError;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FoldPositionTest {

  private static final SnapshotPolicy EVERY_TWO = new SnapshotPolicy(2, 10, 1);

  private static LogEntry entry(long seq) {
    return new LogEntry(seq, Instant.EPOCH, new SourceError("test", "f.yaml", 1, "r" + seq));
  }

  @Test
  void advancesOneEntryAtATimeAndKeepsDueSnapshots() {
    FoldPosition<String> position = FoldPosition.initial("", EVERY_TWO);
    for (long seq = 1; seq <= 5; seq++) {
      position = position.advance(entry(seq), "s" + seq);
    }
    assertThat(position.seq()).isEqualTo(5);
    assertThat(position.nextSeq()).isEqualTo(6);
    assertThat(position.state()).isEqualTo("s5");
    assertThat(position.snapshots().all()).extracting(Snapshot::state).containsExactly("s2", "s4");
  }

  @Test
  void refusesAnEntryThatIsNotTheNextOne() {
    FoldPosition<String> position = FoldPosition.initial("", EVERY_TWO);
    assertThatThrownBy(() -> position.advance(entry(2), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected seq 1 but got 2");
  }

  @Test
  void baseForATargetIsTheNearestStateAtOrBelowIt() {
    FoldPosition<String> position = FoldPosition.initial("init", EVERY_TWO);
    for (long seq = 1; seq <= 5; seq++) {
      position = position.advance(entry(seq), "s" + seq);
    }
    assertThat(position.baseFor(1, "init")).isEqualTo(new Snapshot<>(0, 1, "init"));
    assertThat(position.baseFor(3, "init").state()).isEqualTo("s2");
    assertThat(position.baseFor(4, "init").state()).isEqualTo("s4");
    assertThat(position.baseFor(5, "init").state()).isEqualTo("s5");
    assertThat(position.baseFor(9, "init").seq()).isEqualTo(5);
  }

  @Test
  void resumesFromASnapshotAndKeepsIt() {
    FoldPosition<String> position = FoldPosition.resume(new Snapshot<>(7, 1, "s7"), EVERY_TWO);
    assertThat(position.nextSeq()).isEqualTo(8);
    assertThat(position.advance(entry(8), "s8").baseFor(7, "init").state()).isEqualTo("s7");
  }

  @Test
  void refusesToResumeFromASnapshotOfAnotherSchemaVersion() {
    assertThatThrownBy(() -> FoldPosition.resume(new Snapshot<>(7, 2, "s7"), EVERY_TWO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema version 2");
  }
}
