package io.aigw.projections.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.SourceError;
import io.aigw.projections.Projection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerantFoldTest {

  /** Counts entries, and cannot fold the entry whose reason is "boom". */
  private static final class Counting implements Projection<Integer> {
    @Override
    public Integer initial() {
      return 0;
    }

    @Override
    public Integer apply(Integer state, LogEntry entry) {
      if (((SourceError) entry.event()).reason().equals("boom")) {
        throw new IllegalStateException("cannot fold " + entry.seq());
      }
      if (((SourceError) entry.event()).reason().equals("null")) {
        return null;
      }
      return state + 1;
    }
  }

  private static LogEntry entry(long seq, String reason) {
    return new LogEntry(seq, Instant.EPOCH, new SourceError("test", "f.yaml", 0, reason));
  }

  @Test
  void skipsAnEntryTheProjectionCannotFoldAndSaysWhy() {
    TolerantFold<Integer> fold = new TolerantFold<>(new Counting());
    TolerantFold.Step<Integer> step = fold.step(3, entry(4, "boom"));
    assertThat(step.state()).isEqualTo(3);
    assertThat(step.failure())
        .contains(new FoldFailure(4, "java.lang.IllegalStateException: cannot fold 4"));
  }

  @Test
  void treatsAMissingStateAsAFailure() {
    TolerantFold<Integer> fold = new TolerantFold<>(new Counting());
    assertThat(fold.step(3, entry(4, "null")).failure().orElseThrow().error())
        .contains("returned no state");
  }

  @Test
  void foldsEveryOtherEntryAsTheProjectionDoes() {
    TolerantFold<Integer> fold = new TolerantFold<>(new Counting());
    List<LogEntry> entries = List.of(entry(1, "a"), entry(2, "boom"), entry(3, "b"));
    assertThat(fold.applyAll(fold.initial(), entries)).isEqualTo(2);
    assertThat(fold.step(0, entry(1, "a")).failure()).isEmpty();
    assertThat(fold.projection()).isInstanceOf(Counting.class);
  }
}
