package io.aigw.deploy.cli;

import io.aigw.core.log.kafka.KafkaLogOptions;
import io.aigw.deploy.settings.Settings;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the Kafka log is, for the commands that open it ({@code controller}, {@code replay}). */
final class KafkaLogFlags {

  @Option(
      names = "--kafka-bootstrap",
      paramLabel = "HOST:PORT[,…]",
      description =
          "The event log in a Kafka topic of these brokers instead of under --data"
              + " (default: AIGW_KAFKA_BOOTSTRAP, else the data directory)")
  String bootstrap = Settings.KAFKA_BOOTSTRAP.from(System.getenv()).orElse(null);

  @Option(
      names = "--kafka-topic",
      description =
          "The Kafka log's topic: one partition, kept forever; the replicas of one controller"
              + " share it, and only the leader writes it"
              + " (default: ${DEFAULT-VALUE})")
  String topic = Settings.KAFKA_TOPIC.from(System.getenv());

  /** The Kafka log, when brokers were named. */
  Optional<KafkaLogOptions> options() {
    return Optional.ofNullable(bootstrap).map(servers -> KafkaLogOptions.of(servers, topic));
  }
}
