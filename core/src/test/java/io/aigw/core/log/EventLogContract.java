package io.aigw.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventLog} guarantees. An implementation's test extends this class and says how
 * to open an empty log; a durable one also says how to close and reopen it on the same storage.
 */
public abstract class EventLogContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final List<EventLog> opened = new ArrayList<>();

  /** A new, empty log; called at most once per test before any {@link #reopen}. */
  protected abstract EventLog openEmpty() throws Exception;

  /**
   * Closes {@code log} and opens it again on the same storage. A log that keeps nothing across a
   * close keeps running instead; the default does that.
   */
  protected EventLog reopen(EventLog log) throws Exception {
    return log;
  }

  @AfterEach
  void closeLogs() {
    opened.forEach(EventLog::close);
  }

  protected EventLog open() throws Exception {
    return track(openEmpty());
  }

  protected EventLog track(EventLog log) {
    opened.add(log);
    return log;
  }

  protected static LogEntry commit(EventLog log, LogEvent event) throws Exception {
    return log.append(event).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  protected static List<LogEntry> appendAll(EventLog log, int count) throws Exception {
    List<CompletableFuture<LogEntry>> futures = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      futures.add(log.append(SampleEvents.mixed(i)));
    }
    List<LogEntry> entries = new ArrayList<>();
    for (CompletableFuture<LogEntry> future : futures) {
      entries.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }
    return entries;
  }

  private static List<Long> seqs(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::seq).collect(Collectors.toList());
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  @Test
  void seqStartsAtOneAndHasNoGaps() throws Exception {
    EventLog log = open();
    for (int i = 1; i <= 100; i++) {
      assertThat(commit(log, SampleEvents.mixed(i)).seq()).isEqualTo(i);
    }
    List<LogEntry> all = log.read(1, 1000);
    assertThat(seqs(all)).isEqualTo(range(1, 100));
    for (int i = 1; i <= 100; i++) {
      assertThat(all.get(i - 1).event()).isEqualTo(SampleEvents.mixed(i));
    }
  }

  @Test
  void appendCompletesWithTheEntryThatIsThenRead() throws Exception {
    EventLog log = open();
    List<LogEntry> appended = appendAll(log, 20);
    assertThat(log.read(1, 20)).isEqualTo(appended);
    LogEntry seventh = appended.get(6);
    assertThat(log.read(7, 1)).containsExactly(seventh);
  }

  @Test
  void readsFromTheMiddle() throws Exception {
    EventLog log = open();
    appendAll(log, 50);
    assertThat(seqs(log.read(20, 10))).isEqualTo(range(20, 29));
    assertThat(log.read(33, 1).get(0).event()).isEqualTo(SampleEvents.mixed(33));
  }

  @Test
  void readStopsAtTheLimitAndAtTheEnd() throws Exception {
    EventLog log = open();
    appendAll(log, 50);
    assertThat(seqs(log.read(45, 100))).isEqualTo(range(45, 50));
    assertThat(log.read(51, 10)).isEmpty();
    assertThat(log.read(1, 0)).isEmpty();
    assertThat(seqs(log.read(0, 3))).isEqualTo(range(1, 3));
    assertThat(seqs(log.read(50, Integer.MAX_VALUE))).containsExactly(50L);
  }

  @Test
  void latestSeqIsZeroWhenEmptyThenTheLastCommittedSeq() throws Exception {
    EventLog log = open();
    assertThat(log.latestSeq()).isZero();
    assertThat(log.read(1, 10)).isEmpty();
    appendAll(log, 3);
    assertThat(log.latestSeq()).isEqualTo(3);
    LogEntry fourth = commit(log, SampleEvents.route("four"));
    assertThat(log.latestSeq()).isEqualTo(fourth.seq()).isEqualTo(4);
  }

  @Test
  void concurrentAppendsFromManyThreadsAreAllAcknowledgedWithDistinctGapFreeSeqs()
      throws Exception {
    EventLog log = open();
    int threads = 8;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<LogEntry>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> appendFromOneThread(log, thread, perThread)));
      }
      Set<Long> seen = new HashSet<>();
      for (Future<List<LogEntry>> result : results) {
        List<LogEntry> mine = result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(mine).isSortedAccordingTo((a, b) -> Long.compare(a.seq(), b.seq()));
        for (LogEntry entry : mine) {
          assertThat(seen.add(entry.seq())).as("seq %d given twice", entry.seq()).isTrue();
          assertThat(log.read(entry.seq(), 1)).containsExactly(entry);
        }
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(range(1, threads * perThread));
      assertThat(log.latestSeq()).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<LogEntry> appendFromOneThread(EventLog log, int thread, int count)
      throws Exception {
    List<CompletableFuture<LogEntry>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(log.append(SampleEvents.route("t" + thread + "-" + i, i + 1)));
    }
    List<LogEntry> entries = new ArrayList<>();
    for (CompletableFuture<LogEntry> future : futures) {
      entries.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }
    return entries;
  }

  @Test
  void listenersSeeEveryCommitOnceInSeqOrder() throws Exception {
    EventLog log = open();
    List<LogEntry> first = Collections.synchronizedList(new ArrayList<>());
    List<LogEntry> second = Collections.synchronizedList(new ArrayList<>());
    log.onCommit(first::add);
    log.onCommit(
        entry -> {
          throw new IllegalStateException("a failing listener does not stop the others");
        });
    log.onCommit(second::add);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<LogEntry>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> appendFromOneThread(log, thread, 200)));
      }
      for (Future<List<LogEntry>> result : results) {
        result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    await().atMost(TIMEOUT).until(() -> second.size() >= 800);
    assertThat(seqs(first)).isEqualTo(range(1, 800));
    assertThat(seqs(second)).isEqualTo(range(1, 800));
    assertThat(first).isEqualTo(log.read(1, 1000));
  }

  @Test
  void listenersSeeOnlyWhatIsCommittedAfterTheyRegister() throws Exception {
    EventLog log = open();
    appendAll(log, 5);
    List<LogEntry> seen = Collections.synchronizedList(new ArrayList<>());
    log.onCommit(seen::add);
    LogEntry sixth = commit(log, SampleEvents.route("six"));
    await().atMost(TIMEOUT).until(() -> !seen.isEmpty());
    assertThat(seen).containsExactly(sixth);
  }

  @Test
  void survivesReopenWithTheSameContent() throws Exception {
    EventLog log = open();
    List<LogEntry> before = appendAll(log, 30);
    EventLog reopened = track(reopen(log));
    assertThat(reopened.latestSeq()).isEqualTo(30);
    assertThat(reopened.read(1, 100)).isEqualTo(before);
    assertThat(commit(reopened, SampleEvents.route("after")).seq()).isEqualTo(31);
    assertThat(reopened.read(31, 1).get(0).event()).isEqualTo(SampleEvents.route("after"));
  }

  @Test
  void unicodeContentRoundTrips() throws Exception {
    EventLog log = open();
    WatchEvent unicode = SampleEvents.unicode();
    LogEntry committed = commit(log, unicode);
    assertThat(log.read(committed.seq(), 1).get(0).event()).isEqualTo(unicode);
    EventLog reopened = track(reopen(log));
    assertThat(reopened.read(1, 1).get(0).event()).isEqualTo(unicode);
  }

  @Test
  void largeObjectsRoundTrip() throws Exception {
    EventLog log = open();
    WatchEvent large = SampleEvents.sized("large", 1024 * 1024);
    commit(log, SampleEvents.route("before"));
    LogEntry committed = commit(log, large);
    commit(log, SampleEvents.route("after"));
    assertThat(committed.seq()).isEqualTo(2);
    List<LogEntry> read = log.read(1, 3);
    assertThat(read.get(1).event()).isEqualTo(large);
    assertThat(read.get(2).event()).isEqualTo(SampleEvents.route("after"));
    EventLog reopened = track(reopen(log));
    assertThat(reopened.read(2, 1).get(0).event()).isEqualTo(large);
  }

  @Test
  void appendAfterCloseFails() throws Exception {
    EventLog log = open();
    commit(log, SampleEvents.route("before"));
    log.close();
    CompletableFuture<LogEntry> late = log.append(SampleEvents.route("late"));
    assertThat(late)
        .failsWithin(TIMEOUT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(EventLogClosedException.class);
    log.close();
  }

  @Test
  void rejectsANegativeReadLimit() throws Exception {
    EventLog log = open();
    appendAll(log, 2);
    assertThatThrownBy(() -> log.read(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeCommitsWhatWasAppendedBeforeIt() throws Exception {
    EventLog log = open();
    List<CompletableFuture<LogEntry>> futures = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      futures.add(log.append(SampleEvents.mixed(i)));
    }
    log.close();
    for (CompletableFuture<LogEntry> future : futures) {
      assertThat(future).succeedsWithin(TIMEOUT);
    }
    EventLog reopened = track(reopen(log));
    assertThat(reopened.latestSeq()).isEqualTo(200);
  }

  @Test
  void recordedAtAndEveryVariantSurviveTheRoundTrip() throws Exception {
    EventLog log = open();
    LogEntry error = commit(log, SampleEvents.sourceError("broken.yaml", 12));
    LogEntry zeroLine = commit(log, SampleEvents.sourceError("", 0));
    EventLog reopened = track(reopen(log));
    assertThat(reopened.read(1, 2)).containsExactly(error, zeroLine);
    assertThat(reopened.read(1, 1).get(0).recordedAt()).isEqualTo(error.recordedAt());
  }
}
