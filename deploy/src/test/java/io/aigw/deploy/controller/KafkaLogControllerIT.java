package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.kafka.KafkaBroker;
import io.aigw.core.log.kafka.KafkaLogOptions;
import io.aigw.deploy.cli.AigwCommand;
import io.aigw.watchers.informer.WatchedKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code aigw controller --kafka-bootstrap}: the log in a Kafka topic, not on a volume. */
class KafkaLogControllerIT {

  /** Watch, log, fold, applier and mock server in turn: as long as awaitConverged allows. */
  private static final Duration CHAIN = Duration.ofSeconds(60);

  private static KafkaBroker broker;
  private ControllerHarness cluster;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    cluster = new ControllerHarness("t-kafka-log");
  }

  @AfterEach
  void close() throws Exception {
    cluster.close();
  }

  /**
   * A controller of this cluster on the Kafka log {@code kafka}, under data directory {@code dir}.
   */
  private KubernetesController startOn(KafkaLogOptions kafka, String dir, String identity)
      throws Exception {
    return cluster.start(cluster.options(cluster.root.resolve(dir), identity).withKafka(kafka));
  }

  private static long watchEvents(List<LogEntry> entries) {
    return entries.stream().filter(e -> e.event() instanceof WatchEvent).count();
  }

  @Test
  void aControllerOnANewVolumeResumesFromTheTopicAndRecordsNothingTwice() throws Exception {
    cluster.apply(KubernetesControllerIT.examples().resolve("basic/openai.yaml"));
    KafkaLogOptions kafka = KafkaLogOptions.of(broker.bootstrapServers(), "aigw-log-controller");
    KubernetesController first = startOn(kafka, "a", "replica-a");
    cluster.awaitConverged(first);
    var desired = first.host().current().desired().keySet();
    assertThat(cluster.owned().keySet()).containsExactlyInAnyOrderElementsOf(desired);
    assertThat(Files.exists(cluster.root.resolve("a").resolve("log")))
        .as("nothing written under the data directory")
        .isFalse();
    List<LogEntry> before = first.log().read(1, Integer.MAX_VALUE);
    cluster.stop(first);

    // aigw replay reads the same topic, and shows the state the controller had
    StringWriter replayed = new StringWriter();
    int exit =
        new CommandLine(new AigwCommand())
            .setOut(new PrintWriter(replayed))
            .execute(
                "replay",
                "--kafka-bootstrap",
                broker.bootstrapServers(),
                "--kafka-topic",
                kafka.topic(),
                "--output",
                "json");
    assertThat(exit).isZero();
    JsonNode state = CanonicalJson.read(replayed.toString());
    assertThat(state.path("seq").asLong()).isGreaterThanOrEqualTo(before.size());
    List<String> replayedKeys = new java.util.ArrayList<>();
    state
        .path("desired")
        .forEach(
            object ->
                replayedKeys.add(
                    object.at("/kind").asText() + " " + object.at("/metadata/name").asText()));
    assertThat(replayedKeys)
        .containsExactlyInAnyOrderElementsOf(
            desired.stream().map(key -> key.kind() + " " + key.name()).toList());

    KubernetesController second = startOn(kafka, "b", "replica-b");
    cluster.awaitConverged(second);
    List<LogEntry> after = second.log().read(1, Integer.MAX_VALUE);
    assertThat(after).startsWith(before.toArray(LogEntry[]::new));
    assertThat(watchEvents(after))
        .as("the relist found every object as the topic has it")
        .isEqualTo(watchEvents(before));
    assertThat(second.host().current().desired().keySet()).isEqualTo(desired);
    assertThat(cluster.owned().keySet()).containsExactlyInAnyOrderElementsOf(desired);
  }

  @Test
  void replicasShareOneTopicOnlyTheLeaderWatchesAndTheOtherTakesOver() throws Exception {
    cluster.apply(KubernetesControllerIT.examples().resolve("basic/openai.yaml"));
    KafkaLogOptions kafka = KafkaLogOptions.of(broker.bootstrapServers(), "aigw-log-replicas");
    KubernetesController a = startOn(kafka, "a", "replica-a");
    await().atMost(CHAIN).until(a::isLeader);
    cluster.awaitConverged(a);
    KubernetesController b = startOn(kafka, "b", "replica-b");
    assertThat(b.isLeader()).isFalse();
    assertThat(b.watcher()).as("a standby does not watch").isNull();
    var desired = a.host().current().desired().keySet();
    await().atMost(CHAIN).until(() -> b.host().current().desired().keySet().equals(desired));
    long recorded = watchEvents(a.log().read(1, Integer.MAX_VALUE));

    // a change while a leads is recorded once, by a, and folded by both
    cluster.apply(KubernetesControllerIT.examples().resolve("basic/azure_openai.yaml"));
    cluster.awaitConverged(a);
    await().atMost(CHAIN).until(() -> b.host().currentSeq() == a.log().latestSeq());
    assertThat(b.host().current().sameOutputs(a.host().current())).isTrue();
    ControllerHarness.assertNoRepeats(a);
    assertThat(watchEvents(a.log().read(1, Integer.MAX_VALUE))).isGreaterThan(recorded);

    cluster.stop(a);
    await().atMost(CHAIN).until(b::isLeader);
    // the new leader folds the topic first and starts watching after: not at the same instant
    await().atMost(CHAIN).until(() -> b.watcher() != null);
    // the mock server replays no watch history: a delete between the list and the watch is lost
    cluster.awaitConverged(b);
    await().atMost(CHAIN).until(() -> b.watcher().isWatching());
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, KubernetesControllerIT.OPENAI_ROUTE);
    cluster.awaitConverged(b);
    assertThat(cluster.owned().keySet())
        .noneMatch(key -> key.name().endsWith(KubernetesControllerIT.OPENAI_ROUTE));
    assertThat(cluster.owned().keySet())
        .containsExactlyInAnyOrderElementsOf(b.host().current().desired().keySet());
    // the new leader's relist found everything as the topic had it: nothing recorded twice
    ControllerHarness.assertNoRepeats(b);
  }

  @Test
  void aControllerOfAnotherClusterOnTheSameTopicIsRefusedAndAppliesNothing() throws Exception {
    cluster.apply(KubernetesControllerIT.examples().resolve("basic/openai.yaml"));
    KafkaLogOptions kafka = KafkaLogOptions.of(broker.bootstrapServers(), "aigw-log-shared");
    KubernetesController ours = startOn(kafka, "a", "replica-a");
    cluster.awaitConverged(ours);
    long recorded = ours.log().latestSeq();
    // another cluster (its own API server) whose controller keeps the default topic name too
    try (ControllerHarness other = new ControllerHarness("t-other-cluster")) {
      assertThatThrownBy(
              () ->
                  other.start(other.options(other.root.resolve("b"), "replica-b").withKafka(kafka)))
          .hasStackTraceContaining("belongs to another aigw");
      assertThat(other.owned()).as("nothing of this cluster applied there").isEmpty();
    }
    assertThat(ours.failure()).isEmpty();
    assertThat(ours.log().latestSeq()).isEqualTo(recorded);
  }
}
