package io.aigw.core.log.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.SampleEvents;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadOnlyFileEventLogTest {

  @TempDir Path dir;

  private static List<LogEntry> append(FileEventLog log, int count) throws Exception {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      entries.add(log.append(SampleEvents.mixed(i)).get(30, TimeUnit.SECONDS));
    }
    return entries;
  }

  @Test
  void readsWhatALiveLogCommittedWithoutItsLockAndStaysAtThatSeq() throws Exception {
    try (FileEventLog log = FileEventLog.open(FileEventLogOptions.of(dir).withSegmentBytes(8192))) {
      List<LogEntry> entries = append(log, 40);
      try (ReadOnlyFileEventLog view = FileEventLog.openReadOnly(dir)) {
        assertThat(view.latestSeq()).isEqualTo(40);
        assertThat(view.read(1, 100)).isEqualTo(entries);
        assertThat(view.read(17, 3)).isEqualTo(entries.subList(16, 19));
        append(log, 5);
        assertThat(view.latestSeq()).isEqualTo(40);
        assertThat(view.read(38, 100)).isEqualTo(entries.subList(37, 40));
        assertThat(view.recoveryReport()).isEqualTo(new RecoveryReport(40, 0, "clean"));
      }
      assertThat(log.append(SampleEvents.route("still writable")).get(30, TimeUnit.SECONDS).seq())
          .isEqualTo(46);
    }
  }

  @Test
  void ignoresATornTailWithoutCuttingIt() throws Exception {
    try (FileEventLog log = FileEventLog.open(dir)) {
      append(log, 10);
    }
    Path segment = dir.resolve(SegmentFormat.fileName(1));
    long size = Files.size(segment);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(size - 7);
    }
    try (ReadOnlyFileEventLog view = FileEventLog.openReadOnly(dir)) {
      assertThat(view.latestSeq()).isEqualTo(9);
      assertThat(view.read(1, 100)).hasSize(9);
      assertThat(view.recoveryReport().reason()).contains("torn record").contains("ignoring");
    }
    assertThat(Files.size(segment)).isEqualTo(size - 7);
  }

  @Test
  void refusesAppends() throws Exception {
    Files.createDirectories(dir);
    try (ReadOnlyFileEventLog view = FileEventLog.openReadOnly(dir)) {
      assertThat(view.latestSeq()).isZero();
      assertThat(view.read(1, 10)).isEmpty();
      view.onCommit(entry -> {});
      assertThat(view.append(SampleEvents.route("x")))
          .failsWithin(Duration.ofSeconds(1))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(UnsupportedOperationException.class);
    }
    try (var listing = Files.list(dir)) {
      assertThat(listing).isEmpty();
    }
  }

  @Test
  void failsForAMissingDirectory() {
    assertThatThrownBy(() -> FileEventLog.openReadOnly(dir.resolve("absent")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no log directory");
  }
}
