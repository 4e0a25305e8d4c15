package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.kafka.KafkaBroker;
import io.aigw.core.log.kafka.KafkaLogOptions;
import io.aigw.deploy.cli.AigwCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code aigw controller --kafka-bootstrap}: the log in a Kafka topic, not on a volume. */
class KafkaLogControllerIT {

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

  private static long watchEvents(List<LogEntry> entries) {
    return entries.stream().filter(e -> e.event() instanceof WatchEvent).count();
  }

  @Test
  void aControllerOnANewVolumeResumesFromTheTopicAndRecordsNothingTwice() throws Exception {
    cluster.apply(KubernetesControllerIT.examples().resolve("basic/openai.yaml"));
    KafkaLogOptions kafka = KafkaLogOptions.of(broker.bootstrapServers(), "aigw-log-controller");
    KubernetesController first =
        cluster.start(cluster.options(cluster.root.resolve("a"), "replica-a").withKafka(kafka));
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

    KubernetesController second =
        cluster.start(cluster.options(cluster.root.resolve("b"), "replica-b").withKafka(kafka));
    cluster.awaitConverged(second);
    List<LogEntry> after = second.log().read(1, Integer.MAX_VALUE);
    assertThat(after).startsWith(before.toArray(LogEntry[]::new));
    assertThat(watchEvents(after))
        .as("the relist found every object as the topic has it")
        .isEqualTo(watchEvents(before));
    assertThat(second.host().current().desired().keySet()).isEqualTo(desired);
    assertThat(cluster.owned().keySet()).containsExactlyInAnyOrderElementsOf(desired);
  }
}
