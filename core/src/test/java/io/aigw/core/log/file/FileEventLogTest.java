package io.aigw.core.log.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogClosedException;
import io.aigw.core.log.EventLogContract;
import io.aigw.core.log.SampleEvents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventLogTest extends EventLogContract {

  @TempDir Path dir;

  @Override
  protected EventLog openEmpty() throws IOException {
    return FileEventLog.open(dir);
  }

  @Override
  protected EventLog reopen(EventLog log) throws IOException {
    log.close();
    return FileEventLog.open(dir);
  }

  private FileEventLog openFile(FileEventLogOptions options) throws IOException {
    FileEventLog log = FileEventLog.open(options);
    track(log);
    return log;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".seg"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** File offsets of the frames in a segment, read independently of the code under test. */
  private static List<Long> frameOffsets(Path segment) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<Long> offsets = new ArrayList<>();
    int at = SegmentFormat.HEADER_BYTES;
    while (at + 8 <= bytes.limit()) {
      offsets.add((long) at);
      at += 8 + bytes.getInt(at);
    }
    return offsets;
  }

  private static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  @Test
  void createsTheFirstSegmentNamedAfterSeqOne() throws Exception {
    EventLog log = open();
    commit(log, SampleEvents.route("a"));
    assertThat(segmentFiles())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("00000000000000000001.seg");
    assertThat(((FileEventLog) log).recoveryReport())
        .isEqualTo(new RecoveryReport(0, 0, RecoveryReport.CLEAN));
  }

  @Test
  void reportsACleanOpenAfterAClose() throws Exception {
    EventLog log = open();
    appendAll(log, 10);
    FileEventLog reopened = (FileEventLog) track(reopen(log));
    assertThat(reopened.recoveryReport()).isEqualTo(new RecoveryReport(10, 0, "clean"));
    assertThat(reopened.recoveryReport().droppedAnything()).isFalse();
    assertThat(reopened.repairedAtOpen()).isEmpty();
  }

  @Test
  void truncatesTornTailOnOpen() throws Exception {
    EventLog log = open();
    List<LogEntry> entries = appendAll(log, 10);
    log.close();
    Path segment = segmentFiles().get(0);
    long size = Files.size(segment);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(size - 7);
    }
    long lastFrame = frameOffsets(segment).get(9);
    byte[] torn = Arrays.copyOfRange(Files.readAllBytes(segment), (int) lastFrame, (int) size - 7);

    FileEventLog reopened = openFile(FileEventLogOptions.of(dir));

    RecoveryReport report = reopened.recoveryReport();
    assertThat(report.lastGoodSeq()).isEqualTo(9);
    assertThat(report.droppedBytes()).isEqualTo(size - 7 - lastFrame);
    String saved = segment.getFileName() + ".cut-" + lastFrame;
    assertThat(report.reason())
        .isEqualTo(
            segment.getFileName()
                + ": torn record at offset "
                + lastFrame
                + " ("
                + torn.length
                + " bytes), cut "
                + torn.length
                + " bytes; saved as "
                + saved);
    assertThat(dir.resolve(saved)).hasBinaryContent(torn);
    assertThat(Files.size(segment)).isEqualTo(lastFrame);
    assertThat(reopened.read(1, 100)).isEqualTo(entries.subList(0, 9));
    assertThat(commit(reopened, SampleEvents.route("next")).seq()).isEqualTo(10);
    assertThat(reopened.read(10, 1).get(0).event()).isEqualTo(SampleEvents.route("next"));
  }

  @Test
  void cutsTheLastSegmentAtACorruptRecordInItsMiddle() throws Exception {
    EventLog log = open();
    List<LogEntry> entries = appendAll(log, 10);
    log.close();
    Path segment = segmentFiles().get(0);
    long size = Files.size(segment);
    long fifth = frameOffsets(segment).get(4);
    writeAt(segment, fifth + 8 + 30, new byte[] {(byte) 0xEE});
    byte[] damaged = Arrays.copyOfRange(Files.readAllBytes(segment), (int) fifth, (int) size);

    FileEventLog reopened = openFile(FileEventLogOptions.of(dir));

    RecoveryReport report = reopened.recoveryReport();
    assertThat(report.lastGoodSeq()).isEqualTo(4);
    assertThat(report.droppedBytes()).isEqualTo(size - fifth);
    assertThat(reopened.repairedAtOpen())
        .as("said on the admin port until the next start")
        .hasValue(
            "the log was cut back to seq 4 at start ("
                + (size - fifth)
                + " bytes): "
                + report.reason());
    String saved = segment.getFileName() + ".cut-" + fifth;
    assertThat(report.reason())
        .as("the five records after the damaged one were no torn write: the report says so")
        .isEqualTo(
            segment.getFileName()
                + ": CRC mismatch in the record at offset "
                + fifth
                + ", cut "
                + (size - fifth)
                + " bytes holding 5 later records that look intact; saved as "
                + saved);
    assertThat(dir.resolve(saved))
        .as("what was cut is kept, byte for byte")
        .hasBinaryContent(damaged);
    assertThat(reopened.latestSeq()).isEqualTo(4);
    assertThat(reopened.read(1, 100)).isEqualTo(entries.subList(0, 4));
    assertThat(commit(reopened, SampleEvents.route("next")).seq()).isEqualTo(5);
    reopened.close();

    FileEventLog again = openFile(FileEventLogOptions.of(dir));
    assertThat(again.recoveryReport())
        .as("the saved bytes are never read as a segment")
        .isEqualTo(new RecoveryReport(5, 0, RecoveryReport.CLEAN));
    assertThat(dir.resolve(saved)).hasBinaryContent(damaged);
  }

  @Test
  void cutsAZeroFilledTail() throws Exception {
    EventLog log = open();
    appendAll(log, 3);
    log.close();
    Path segment = segmentFiles().get(0);
    long size = Files.size(segment);
    writeAt(segment, size, new byte[4096]);

    FileEventLog reopened = openFile(FileEventLogOptions.of(dir));

    assertThat(reopened.recoveryReport().lastGoodSeq()).isEqualTo(3);
    assertThat(reopened.recoveryReport().droppedBytes()).isEqualTo(4096);
    assertThat(reopened.recoveryReport().reason()).contains("impossible record length 0");
  }

  @Test
  void cutsARecordWhoseSeqBreaksTheSequence() throws Exception {
    EventLog log = open();
    appendAll(log, 3);
    log.close();
    Path segment = segmentFiles().get(0);
    Path copy = dir.resolve("copy");
    Files.copy(segment, copy);
    long second = frameOffsets(segment).get(1);
    byte[] firstFrame = new byte[(int) second - SegmentFormat.HEADER_BYTES];
    ByteBuffer.wrap(Files.readAllBytes(copy)).get(SegmentFormat.HEADER_BYTES, firstFrame);
    writeAt(segment, Files.size(segment), firstFrame);

    FileEventLog reopened = openFile(FileEventLogOptions.of(dir));

    assertThat(reopened.recoveryReport().lastGoodSeq()).isEqualTo(3);
    assertThat(reopened.recoveryReport().reason()).contains("seq 1 at offset").contains("where 4");
  }

  @Test
  void rollsSegmentsAtTheConfiguredSize() throws Exception {
    FileEventLog log = openFile(FileEventLogOptions.of(dir).withSegmentBytes(8192));
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      entries.add(commit(log, SampleEvents.route("r" + i)));
    }
    List<Path> segments = segmentFiles();
    assertThat(segments).hasSizeGreaterThan(5);
    long expectedBase = 1;
    for (Path segment : segments) {
      assertThat(Files.size(segment)).isLessThanOrEqualTo(8192);
      assertThat(segment.getFileName().toString())
          .isEqualTo(String.format("%020d.seg", expectedBase));
      expectedBase += frameOffsets(segment).size();
    }
    assertThat(expectedBase).isEqualTo(101);
    assertThat(log.read(1, 1000)).isEqualTo(entries);
  }

  @Test
  void putsARecordLargerThanASegmentInASegmentOfItsOwn() throws Exception {
    FileEventLog log = openFile(FileEventLogOptions.of(dir).withSegmentBytes(8192));
    commit(log, SampleEvents.route("small"));
    LogEntry big = commit(log, SampleEvents.sized("big", 20_000));
    commit(log, SampleEvents.route("small again"));
    assertThat(segmentFiles())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "00000000000000000001.seg", "00000000000000000002.seg", "00000000000000000003.seg");
    assertThat(log.read(2, 1)).containsExactly(big);
  }

  @Test
  void readsFromEverySeqAcrossSegmentsBeforeAndAfterReopen() throws Exception {
    FileEventLogOptions options =
        FileEventLogOptions.of(dir).withSegmentBytes(512 * 1024).withFsync(FsyncPolicy.NEVER);
    FileEventLog log = openFile(options);
    List<LogEntry> entries = appendAll(log, 3000);
    assertThat(segmentFiles()).hasSizeGreaterThanOrEqualTo(3);
    checkEveryRead(log, entries, new Random(1));
    log.close();

    FileEventLog reopened = openFile(options);
    checkEveryRead(reopened, entries, new Random(2));
    Segment first = reopened.segmentHolding(1);
    assertThat(first.index().points()).isGreaterThan(3);
  }

  private static void checkEveryRead(FileEventLog log, List<LogEntry> entries, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, random);
    for (int i : order) {
      int limit = 1 + random.nextInt(40);
      List<LogEntry> read = log.read(i + 1, limit);
      assertThat(read).isEqualTo(entries.subList(i, Math.min(entries.size(), i + limit)));
    }
  }

  @Test
  void refusesASecondOpenOfTheSameDirectory() throws Exception {
    EventLog log = open();
    assertThatThrownBy(() -> FileEventLog.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("in use");
    log.close();
    FileEventLog again = openFile(FileEventLogOptions.of(dir));
    assertThat(again.latestSeq()).isZero();
  }

  @Test
  void sharesOneGroupCommitAmongAppendsQueuedMeanwhile() throws Exception {
    FileEventLog log = openFile(FileEventLogOptions.of(dir));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writerHeld = new CountDownLatch(1);
    log.onCommit(
        entry -> {
          if (entry.seq() == 1) {
            writerHeld.countDown();
            awaitQuietly(release);
          }
        });
    CompletableFuture<LogEntry> first = log.append(SampleEvents.route("first"));
    assertThat(writerHeld.await(30, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<LogEntry>> queued = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      queued.add(log.append(SampleEvents.route("q" + i)));
    }
    assertThat(queued).noneMatch(CompletableFuture::isDone);
    release.countDown();
    assertThat(first).succeedsWithin(java.time.Duration.ofSeconds(30));
    for (CompletableFuture<LogEntry> future : queued) {
      assertThat(future).succeedsWithin(java.time.Duration.ofSeconds(30));
    }
    assertThat(log.groupCommits()).isEqualTo(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void removesAnEmptyLastSegmentLeftByACrashRightAfterARoll() throws Exception {
    EventLog log = open();
    List<LogEntry> entries = appendAll(log, 5);
    log.close();
    Path empty = dir.resolve(SegmentFormat.fileName(6));
    Files.write(empty, SegmentFormat.header(6).array());
    Path torn = dir.resolve(SegmentFormat.fileName(7));
    Files.write(torn, new byte[] {0x41, 0x49});

    FileEventLog reopened = openFile(FileEventLogOptions.of(dir));

    RecoveryReport report = reopened.recoveryReport();
    assertThat(report.lastGoodSeq()).isEqualTo(5);
    assertThat(report.droppedBytes()).isEqualTo(SegmentFormat.HEADER_BYTES + 2);
    assertThat(report.reason()).contains("incomplete header").contains("no records");
    assertThat(Files.exists(empty)).isFalse();
    assertThat(Files.exists(torn)).isFalse();
    assertThat(reopened.read(1, 10)).isEqualTo(entries);
    assertThat(commit(reopened, SampleEvents.route("six")).seq()).isEqualTo(6);
  }

  @Test
  void recreatesTheOnlySegmentWhenItsHeaderIsTorn() throws Exception {
    Files.write(dir.resolve(SegmentFormat.fileName(1)), new byte[5]);
    FileEventLog log = openFile(FileEventLogOptions.of(dir));
    assertThat(log.recoveryReport())
        .isEqualTo(
            new RecoveryReport(0, 5, "00000000000000000001.seg: incomplete header, removed"));
    assertThat(commit(log, SampleEvents.route("a")).seq()).isEqualTo(1);
  }

  @Test
  void keepsALastSegmentWhoseHeaderWasZeroedBeforeRemovingIt() throws Exception {
    EventLog log = open();
    appendAll(log, 3);
    log.close();
    Path segment = segmentFiles().get(0);
    writeAt(segment, 0, new byte[SegmentFormat.HEADER_BYTES]);
    byte[] damaged = Files.readAllBytes(segment);

    FileEventLog reopened = openFile(FileEventLogOptions.of(dir));

    assertThat(reopened.recoveryReport())
        .isEqualTo(
            new RecoveryReport(
                0,
                damaged.length,
                "00000000000000000001.seg: incomplete header, removed; saved as"
                    + " 00000000000000000001.seg.cut-0"));
    assertThat(dir.resolve("00000000000000000001.seg.cut-0")).hasBinaryContent(damaged);
    assertThat(commit(reopened, SampleEvents.route("a")).seq()).isEqualTo(1);
  }

  @Test
  void refusesAFileThatIsNoSegment() throws Exception {
    Files.writeString(dir.resolve(SegmentFormat.fileName(1)), "this is not a log segment");
    assertThatThrownBy(() -> FileEventLog.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not an aigw log segment");
    assertThat(openFile(FileEventLogOptions.of(dir.resolve("other"))).latestSeq()).isZero();
  }

  @Test
  void reportsCorruptionInsideTheCommittedPartOnRead() throws Exception {
    FileEventLogOptions options = FileEventLogOptions.of(dir).withSegmentBytes(8192);
    EventLog log = openFile(options);
    appendAll(log, 60);
    log.close();
    Path sealed = segmentFiles().get(0);
    long second = frameOffsets(sealed).get(1);
    writeAt(sealed, second + 8 + 40, new byte[] {(byte) 0xEE});

    FileEventLog reopened = openFile(options);

    assertThat(reopened.recoveryReport().droppedAnything()).isFalse();
    assertThat(reopened.read(1, 1)).hasSize(1);
    assertThatThrownBy(() -> reopened.read(1, 5))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessageContaining("CRC mismatch");
  }

  @Test
  void readersRunningAlongsideTheWriterSeeOnlyCommittedGapFreeEntries() throws Exception {
    FileEventLog log = openFile(FileEventLogOptions.of(dir).withSegmentBytes(64 * 1024));
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              long next = 1;
              while (next <= 2000) {
                List<LogEntry> read = log.read(next, 50);
                for (LogEntry entry : read) {
                  assertThat(entry.seq()).isEqualTo(next++);
                }
              }
            });
    for (int i = 0; i < 100; i++) {
      appendAll(log, 20);
    }
    assertThat(reader).succeedsWithin(java.time.Duration.ofSeconds(60));
  }

  @Test
  void stampsEntriesWithTheConfiguredClock() throws Exception {
    Instant now = Instant.parse("2025-05-06T07:08:09.5Z");
    FileEventLog log =
        openFile(FileEventLogOptions.of(dir).withClock(Clock.fixed(now, ZoneOffset.UTC)));
    assertThat(commit(log, SampleEvents.route("a")).recordedAt()).isEqualTo(now);
    assertThat(log.read(1, 1).get(0).recordedAt()).isEqualTo(now);
  }

  @Test
  void readAfterCloseFails() throws Exception {
    EventLog log = open();
    appendAll(log, 2);
    log.close();
    assertThatThrownBy(() -> log.read(1, 1)).isInstanceOf(EventLogClosedException.class);
  }

  @Test
  void refusesToBeClosedFromItsOwnCommitListener() throws Exception {
    EventLog log = open();
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    log.onCommit(
        entry -> {
          try {
            log.close();
            thrown.complete(null);
          } catch (IllegalStateException e) {
            thrown.complete(e);
          }
        });
    commit(log, SampleEvents.route("a"));
    assertThat(thrown.get(30, TimeUnit.SECONDS))
        .hasMessageContaining("outside its commit listeners");
    assertThat(commit(log, SampleEvents.route("b")).seq()).isEqualTo(2);
  }

  @Test
  void rejectsSegmentsSmallerThanFourKibibytes() {
    assertThatThrownBy(() -> FileEventLogOptions.of(dir).withSegmentBytes(100))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
