package io.aigw.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTailTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx();
  private final EventLog log = new InMemoryEventLog();
  private final List<LogEntry> handled = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    log.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private LogEntry append(String name) throws Exception {
    return log.append(SampleEvents.route(name)).get(30, TimeUnit.SECONDS);
  }

  private void publish(LogEntry entry) {
    vertx.eventBus().publish(LogPublisher.ADDRESS, entry, LogPublisher.deliveryOf(log));
  }

  private LogTail follow(long afterSeq) throws Exception {
    LogTail tail = LogTail.follow(vertx, log, afterSeq, handled::add);
    tail.started().await(30, TimeUnit.SECONDS);
    return tail;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  private List<Long> handledSeqs() {
    return handled.stream().map(LogEntry::seq).collect(Collectors.toList());
  }

  @Test
  void catchesUpFromTheLogThenFollowsTheBus() throws Exception {
    for (int i = 1; i <= 5; i++) {
      append("before" + i);
    }
    LogPublisher.start(vertx, log);
    LogTail tail = follow(0);
    for (int i = 6; i <= 10; i++) {
      append("after" + i);
    }
    await().atMost(TIMEOUT).until(() -> handled.size() >= 10);
    assertThat(handled).isEqualTo(log.read(1, 100));
    assertThat(tail.lastSeq()).isEqualTo(10);
  }

  @Test
  void fillsAGapFromTheLogAndDropsDuplicates() throws Exception {
    follow(0);
    append("a");
    append("b");
    LogEntry third = append("c");
    publish(third);
    await().atMost(TIMEOUT).until(() -> handled.size() >= 3);
    publish(log.read(2, 1).get(0));
    append("d");
    publish(append("e"));
    await().atMost(TIMEOUT).until(() -> handled.size() >= 5);
    publish(third);
    publish(log.read(5, 1).get(0));
    publish(append("f"));
    await().atMost(TIMEOUT).until(() -> handled.size() >= 6);
    assertThat(handledSeqs()).isEqualTo(range(1, 6));
    assertThat(handled).isEqualTo(log.read(1, 100));
  }

  @Test
  void takesOnlyItsOwnLogsEntriesWhenAnotherLogSharesTheBus() throws Exception {
    // two controllers in one JVM: both logs publish on one Vert.x, with the same seqs
    EventLog other = new InMemoryEventLog();
    LogPublisher.start(vertx, log);
    LogPublisher.start(vertx, other);
    LogTail tail = follow(0);
    for (int i = 1; i <= 5; i++) {
      other.append(SampleEvents.route("other" + i)).get(30, TimeUnit.SECONDS);
    }
    for (int i = 1; i <= 5; i++) {
      append("own" + i);
    }
    await().atMost(TIMEOUT).until(() -> handled.size() >= 5);
    assertThat(handled).isEqualTo(log.read(1, 100));
    assertThat(tail.lastSeq()).isEqualTo(5);
    other.close();
  }

  @Test
  void startsAfterTheGivenSeq() throws Exception {
    for (int i = 1; i <= 6; i++) {
      append("e" + i);
    }
    LogTail tail = follow(3);
    await().atMost(TIMEOUT).until(() -> handled.size() >= 3);
    assertThat(handledSeqs()).isEqualTo(range(4, 6));
    assertThat(tail.lastSeq()).isEqualTo(6);
  }

  @Test
  void waitsForTheLogWhenTheBusRunsAhead() throws Exception {
    follow(0);
    append("one");
    publish(new LogEntry(3, Instant.EPOCH, SampleEvents.route("from the future")));
    await().atMost(TIMEOUT).until(() -> handled.size() >= 1);
    append("two");
    append("three");
    publish(log.read(2, 1).get(0));
    await().atMost(TIMEOUT).until(() -> handled.size() >= 3);
    assertThat(handled).isEqualTo(log.read(1, 10));
  }

  @Test
  void handsNothingToTheHandlerAfterClose() throws Exception {
    LogPublisher.start(vertx, log);
    LogTail tail = follow(0);
    append("before");
    await().atMost(TIMEOUT).until(() -> handled.size() == 1);
    tail.close().await(30, TimeUnit.SECONDS);
    append("after");
    LogTail witness = LogTail.follow(vertx, log, 1, entry -> {});
    await().atMost(TIMEOUT).until(() -> witness.lastSeq() == 2);
    assertThat(handledSeqs()).containsExactly(1L);
  }

  @Test
  void retriesAReadThatFailed() throws Exception {
    append("a");
    append("b");
    AtomicInteger failuresLeft = new AtomicInteger(2);
    EventLog flaky =
        new EventLog() {
          @Override
          public CompletableFuture<LogEntry> append(LogEvent event) {
            return log.append(event);
          }

          @Override
          public List<LogEntry> read(long fromSeq, int limit) {
            if (failuresLeft.getAndDecrement() > 0) {
              throw new IllegalStateException("disk hiccup");
            }
            return log.read(fromSeq, limit);
          }

          @Override
          public long latestSeq() {
            return log.latestSeq();
          }

          @Override
          public void onCommit(CommitListener listener) {
            log.onCommit(listener);
          }

          @Override
          public void close() {}
        };
    LogTail tail = LogTail.follow(vertx, flaky, 0, handled::add);
    await().atMost(TIMEOUT).until(() -> handled.size() >= 2);
    assertThat(failuresLeft.get()).isNegative();
    assertThat(handled).isEqualTo(log.read(1, 10));
    assertThat(tail.lastSeq()).isEqualTo(2);
  }

  @Test
  void aFailingHandlerDoesNotStopTheTail() throws Exception {
    append("a");
    append("b");
    LogTail tail =
        LogTail.follow(
            vertx,
            log,
            0,
            entry -> {
              handled.add(entry);
              throw new IllegalStateException("handler bug");
            });
    await().atMost(TIMEOUT).until(() -> handled.size() >= 2);
    assertThat(handledSeqs()).isEqualTo(range(1, 2));
    assertThat(tail.lastSeq()).isEqualTo(2);
  }
}
