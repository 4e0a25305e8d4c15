package io.aigw.core.log.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends to the file log with SIGKILL at random moments, then checks after
 * every kill that each acknowledged append is in the log with its content, the log is gap-free and
 * every record passes its CRC, and appends continue at the next seq.
 */
class FileEventLogCrashIT {

  private static final long SEED = 20250101L;
  private static final int ROUNDS = 20;

  @TempDir Path root;

  @Test
  void everyAcknowledgedAppendSurvivesSigkillAtRandomMoments() throws Exception {
    Path dir = root.resolve("log");
    Random random = new Random(SEED);
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    int tornRounds = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Map<Long, String> acks = runAndKill(dir, round, 50 + random.nextInt(351));
      acknowledged.putAll(acks);
      try (FileEventLog log = FileEventLog.open(dir)) {
        tornRounds += log.recoveryReport().droppedAnything() ? 1 : 0;
        long latest = log.latestSeq();
        assertThat(latest)
            .isGreaterThanOrEqualTo(
                acknowledged.keySet().stream().mapToLong(s -> s).max().orElse(0));
        checkContent(log, acknowledged);
        assertThat(allRecordsValid(dir)).as("records in the segment files").isEqualTo(latest);
        LogEntry next =
            log.append(SampleEvents.route("after-round-" + round)).get(30, TimeUnit.SECONDS);
        assertThat(next.seq()).isEqualTo(latest + 1);
        acknowledged.put(next.seq(), "after-round-" + round);
      }
    }
    System.out.printf(
        "crash test: %d rounds, %d acknowledged appends, %d torn tails cut%n",
        ROUNDS, acknowledged.size(), tornRounds);
    assertThat(acknowledged.size()).isGreaterThan(ROUNDS * 10);
  }

  /** Starts the child, waits until it appends, lets it run {@code millis}, kills it. */
  private Map<Long, String> runAndKill(Path dir, int round, int millis) throws Exception {
    Path stderr = root.resolve("child-" + round + ".err");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingAppender.class.getName(),
                dir.toString(),
                Long.toString(SEED + round))
            .redirectError(stderr.toFile())
            .start();
    ChildOutput output = new ChildOutput(child.getInputStream());
    try {
      assertThat(output.ready.await(60, TimeUnit.SECONDS))
          .as("child ready; its stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
          .isTrue();
      if (round == 0) {
        assertThatThrownBy(() -> FileEventLog.open(dir)).hasMessageContaining("in use");
      }
      assertThat(child.waitFor(millis, TimeUnit.MILLISECONDS))
          .as("child still running; its stderr: %s", Files.readString(stderr))
          .isFalse();
    } finally {
      child.destroyForcibly();
      child.waitFor(60, TimeUnit.SECONDS);
    }
    output.thread.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(child.exitValue()).isEqualTo(137);
    return output.acks;
  }

  private static void checkContent(FileEventLog log, Map<Long, String> acknowledged) {
    long next = 1;
    long latest = log.latestSeq();
    while (next <= latest) {
      List<LogEntry> entries = log.read(next, 5_000);
      assertThat(entries).isNotEmpty();
      for (LogEntry entry : entries) {
        assertThat(entry.seq()).isEqualTo(next);
        String expected = acknowledged.get(entry.seq());
        if (expected != null) {
          assertThat(((WatchEvent) entry.event()).name()).as("seq %d", next).isEqualTo(expected);
        }
        next++;
      }
    }
  }

  /** Walks every segment file independently of the log: all frames must be whole and valid. */
  private static long allRecordsValid(Path dir) throws IOException {
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir)) {
      segments =
          files
              .filter(f -> SegmentFormat.baseSeqOf(f).isPresent())
              .sorted()
              .collect(Collectors.toList());
    }
    long expectedBase = 1;
    for (Path segment : segments) {
      long base = SegmentFormat.baseSeqOf(segment).orElseThrow();
      assertThat(base).as("base of %s", segment).isEqualTo(expectedBase);
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
        SegmentRecovery.Scan scan =
            SegmentRecovery.scan(channel, base, new SparseIndex(base, SegmentFormat.HEADER_BYTES));
        assertThat(scan.problem()).as("problem in %s", segment).isNull();
        assertThat(scan.validEnd()).isEqualTo(channel.size());
        expectedBase += scan.records();
      }
    }
    return expectedBase - 1;
  }

  /** Reads the child's stdout as it comes; a line cut by the kill is ignored. */
  private static final class ChildOutput {
    final Map<Long, String> acks = new ConcurrentHashMap<>();
    final CountDownLatch ready = new CountDownLatch(1);
    final Thread thread;

    ChildOutput(InputStream in) {
      thread = new Thread(() -> pump(in), "crash-child-stdout");
      thread.setDaemon(true);
      thread.start();
    }

    private void pump(InputStream in) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      try (in) {
        int b;
        while ((b = in.read()) >= 0) {
          if (b == '\n') {
            accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(b);
          }
        }
      } catch (IOException e) {
        // the child is gone: what was read completely counts
      }
    }

    private void accept(String line) {
      String[] parts = line.split(" ");
      if (parts[0].equals("ready")) {
        ready.countDown();
      } else if (parts[0].equals("ack")) {
        acks.put(Long.parseLong(parts[1]), parts[2]);
      }
    }
  }
}
