package io.aigw.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.admin.history.LogIndex;
import io.aigw.core.event.SourceError;
import io.aigw.core.log.memory.InMemoryEventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EntryReaderTest {

  private static final Instant START = Instant.parse("2026-11-28T14:00:00Z");

  /** A clock one minute later at each reading: entry n is recorded at 14:0n. */
  private static final class MinuteClock extends Clock {
    private int readings;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return START.plus(Duration.ofMinutes(readings++));
    }
  }

  @Test
  void findsTheLastEntryRecordedByATimeInTheLogOrInTheRecentOnes() {
    InMemoryEventLog log = new InMemoryEventLog(new MinuteClock());
    for (int i = 0; i < 2000; i++) {
      log.append(new SourceError("dir:/t", "f" + i + ".yaml", 1, "bad")).join();
    }
    LogIndex index = new LogIndex();
    // only the last entries are in the index's memory: the search reads the older ones from the log
    index.addAll(log.read(1, 2000));
    EntryReader reader = new EntryReader(log, index);

    assertThat(reader.lastSeqAtOrBefore(START.minusSeconds(1), 2000)).isZero();
    assertThat(reader.lastSeqAtOrBefore(START, 2000)).isEqualTo(1);
    assertThat(reader.lastSeqAtOrBefore(START.plus(Duration.ofMinutes(2)).plusSeconds(30), 2000))
        .isEqualTo(3);
    assertThat(reader.lastSeqAtOrBefore(START.plus(Duration.ofMinutes(1500)), 2000))
        .isEqualTo(1501);
    assertThat(reader.lastSeqAtOrBefore(START.plus(Duration.ofDays(30)), 2000)).isEqualTo(2000);
  }
}
