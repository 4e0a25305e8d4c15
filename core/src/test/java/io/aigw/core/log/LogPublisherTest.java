package io.aigw.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.aigw.core.codec.LogEntryMessageCodec;
import io.aigw.core.event.LogEntry;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogPublisherTest {

  private final Vertx vertx = Vertx.vertx();
  private final EventLog log = new InMemoryEventLog();

  @AfterEach
  void close() throws Exception {
    log.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** Collects what reaches it on its own event loop. */
  private static final class Collector extends AbstractVerticle {
    final List<LogEntry> received = new CopyOnWriteArrayList<>();

    @Override
    public void start(Promise<Void> started) {
      vertx
          .eventBus()
          .<LogEntry>localConsumer(LogPublisher.ADDRESS, m -> received.add(m.body()))
          .completion()
          .onComplete(started);
    }
  }

  @Test
  void publishesEveryCommittedEntryInSeqOrderToConsumersInOtherVerticles() throws Exception {
    LogPublisher.start(vertx, log);
    Collector first = new Collector();
    Collector second = new Collector();
    vertx.deployVerticle(first).await(30, TimeUnit.SECONDS);
    vertx.deployVerticle(second).await(30, TimeUnit.SECONDS);

    List<CompletableFuture<LogEntry>> appended = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 400; i++) {
        int n = i;
        appended.add(
            CompletableFuture.supplyAsync(() -> log.append(SampleEvents.route("r" + n)), pool)
                .thenCompose(f -> f));
      }
      CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> second.received.size() == 400);
    await().atMost(Duration.ofSeconds(30)).until(() -> first.received.size() == 400);
    List<LogEntry> committed = log.read(1, 1000);
    assertThat(first.received).isEqualTo(committed);
    assertThat(second.received).isEqualTo(committed);
    for (int i = 0; i < committed.size(); i++) {
      assertThat(first.received.get(i)).isSameAs(committed.get(i));
    }
  }

  @Test
  void stopsPublishingWhenClosed() throws Exception {
    LogPublisher publisher = LogPublisher.start(vertx, log);
    Collector collector = new Collector();
    vertx.deployVerticle(collector).await(30, TimeUnit.SECONDS);
    log.append(SampleEvents.route("one")).get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> collector.received.size() == 1);
    publisher.close();
    log.append(SampleEvents.route("two")).get(30, TimeUnit.SECONDS);
    log.append(SampleEvents.route("three")).get(30, TimeUnit.SECONDS);
    LogPublisher.start(vertx, log);
    log.append(SampleEvents.route("four")).get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> collector.received.size() == 2);
    assertThat(collector.received).extracting(LogEntry::seq).containsExactly(1L, 4L);
  }

  @Test
  void theMessageCodecCarriesEntriesAcrossTheWireUnchanged() throws Exception {
    LogEntry entry = log.append(SampleEvents.unicode()).get(30, TimeUnit.SECONDS);
    LogEntryMessageCodec codec = new LogEntryMessageCodec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, entry);
    assertThat(codec.decodeFromWire(6, wire)).isEqualTo(entry);
    assertThat(codec.transform(entry)).isSameAs(entry);
    assertThat(codec.name()).isEqualTo(LogEntryMessageCodec.NAME);
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
  }

  @Test
  void registeringTheCodecTwiceIsHarmless() {
    LogEntryMessageCodec.registerOn(vertx.eventBus());
    assertThatCode(() -> LogEntryMessageCodec.registerOn(vertx.eventBus()))
        .doesNotThrowAnyException();
  }
}
