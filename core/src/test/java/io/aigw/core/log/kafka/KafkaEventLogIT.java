package io.aigw.core.log.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogContract;
import io.aigw.core.log.SampleEvents;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event-log contract against a real Kafka broker, and what only the Kafka log has to do. */
class KafkaEventLogIT extends EventLogContract {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static KafkaBroker broker;
  private static Vertx vertx;

  private KafkaLogOptions options;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  protected EventLog openEmpty() {
    options = KafkaLogOptions.of(broker.bootstrapServers(), "log-" + TOPICS.incrementAndGet());
    return KafkaEventLog.open(vertx, options);
  }

  /** A new log on the same topic: everything it holds comes from the broker. */
  @Override
  protected EventLog reopen(EventLog log) {
    log.close();
    return KafkaEventLog.open(vertx, options);
  }

  @Test
  void twoLogsOnOneTopicSeeTheSameEntriesInTheSameOrder() throws Exception {
    EventLog writer = open();
    EventLog follower = track(KafkaEventLog.open(vertx, options));
    List<LogEntry> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    follower.onCommit(seen::add);
    List<LogEntry> written = appendAll(writer, 20);
    org.awaitility.Awaitility.await().until(() -> seen.size() == 20);
    assertThat(seen).isEqualTo(written);
    assertThat(follower.latestSeq()).isEqualTo(20);
    assertThat(follower.read(1, 50)).isEqualTo(written);
  }

  @Test
  void aLogOpenToReadNeitherCreatesATopicNorAppends() throws Exception {
    String missing = "missing-" + TOPICS.incrementAndGet();
    assertThatThrownBy(
            () ->
                KafkaEventLog.openReadOnly(KafkaLogOptions.of(broker.bootstrapServers(), missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Kafka topic " + missing + " does not exist");

    EventLog writer = open();
    List<LogEntry> written = appendAll(writer, 5);
    EventLog reader = track(KafkaEventLog.openReadOnly(options));
    assertThat(reader.latestSeq()).isEqualTo(5);
    assertThat(reader.read(1, 10)).isEqualTo(written);
    assertThat(reader.append(SampleEvents.route("refused")))
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(io.aigw.core.log.EventLogClosedException.class);
  }

  @Test
  void refusesATopicWithMoreThanOnePartition() throws Exception {
    String topic = "two-partitions-" + TOPICS.incrementAndGet();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    assertThatThrownBy(
            () -> KafkaEventLog.open(vertx, KafkaLogOptions.of(broker.bootstrapServers(), topic)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has 2 partitions");
  }

  @Test
  void refusesATopicThatDeletesOldEntriesOrTakesOnlySmallRecords() throws Exception {
    String withRetention = "retention-" + TOPICS.incrementAndGet();
    String small = "small-" + TOPICS.incrementAndGet();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  // as a topic someone created with the broker's defaults
                  new NewTopic(withRetention, 1, (short) 1),
                  new NewTopic(small, 1, (short) 1)
                      .configs(
                          Map.of(
                              "retention.ms", "-1",
                              "retention.bytes", "-1",
                              "max.message.bytes", "1048588"))))
          .all()
          .get();
    }
    assertThatThrownBy(
            () ->
                KafkaEventLog.open(
                    vertx, KafkaLogOptions.of(broker.bootstrapServers(), withRetention)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deletes old entries");
    assertThatThrownBy(
            () -> KafkaEventLog.open(vertx, KafkaLogOptions.of(broker.bootstrapServers(), small)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("takes records up to 1048588 bytes");
  }

  @Test
  void appendsWrittenByAnotherProgramStopTheLogInsteadOfBeingSkipped() throws Exception {
    EventLog log = open();
    commit(log, SampleEvents.route("first"));
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  options.topic(), "not an entry".getBytes()))
          .get();
    }
    var late = log.append(SampleEvents.route("after"));
    assertThat(late).failsWithin(java.time.Duration.ofSeconds(30));
    assertThat(log.latestSeq()).isEqualTo(1);
  }

  @Test
  void entriesOfAnotherOwnerStopTheLogAndFailItsReads() throws Exception {
    open();
    EventLog ours = track(KafkaEventLog.open(vertx, options.withOwner("cluster-a")));
    commit(ours, SampleEvents.route("first"));
    // another cluster's controller on the same topic
    EventLog theirs = track(KafkaEventLog.open(vertx, options.withOwner("cluster-b")));
    assertThatThrownBy(() -> theirs.read(1, 10))
        .hasMessageContaining("belongs to another aigw (log owner cluster-a");
    commit(theirs, SampleEvents.route("theirs"));
    // ours refuses what the other appended, and takes nothing more
    var late = ours.append(SampleEvents.route("after"));
    assertThat(late).failsWithin(java.time.Duration.ofSeconds(30));
    assertThat(ours.latestSeq()).isEqualTo(1);
    // replicas of one owner share the topic, and a log without an owner reads everything
    EventLog replica = track(KafkaEventLog.open(vertx, options.withOwner("cluster-a")));
    assertThat(replica.read(1, 1)).hasSize(1);
    // (the late append may have reached the topic before our tail stopped: it fails either way)
    assertThat(track(KafkaEventLog.open(vertx, options)).read(1, 10))
        .hasSizeGreaterThanOrEqualTo(2);
  }
}
