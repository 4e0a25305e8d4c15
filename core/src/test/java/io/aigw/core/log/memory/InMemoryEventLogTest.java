package io.aigw.core.log.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogContract;
import io.aigw.core.log.SampleEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryEventLogTest extends EventLogContract {

  @Override
  protected EventLog openEmpty() {
    return new InMemoryEventLog();
  }

  @Test
  void stampsEntriesWithItsClock() throws Exception {
    Instant now = Instant.parse("2025-01-02T03:04:05.123456789Z");
    EventLog log = track(new InMemoryEventLog(Clock.fixed(now, ZoneOffset.UTC)));
    LogEntry entry = commit(log, SampleEvents.route("a"));
    assertThat(entry.recordedAt()).isEqualTo(now);
  }
}
