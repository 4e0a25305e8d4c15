package io.aigw.core.log.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link KafkaEventLog} keeps its entries: a single-partition topic of a Kafka cluster.
 *
 * @param bootstrapServers {@code host:port[,host:port…]} of the cluster
 * @param topic the log's topic, created (one partition, kept forever) when missing
 * @param replicationFactor replicas of a topic the log creates; -1 for the broker's default
 * @param timeout how long opening, reading and closing wait for the cluster before they fail
 * @param clock what stamps {@code recordedAt}
 * @param owner who the log belongs to (a controller installation: its replicas share it), put on
 *     every entry appended; entries of another owner stop the log. Empty: neither put nor checked
 */
public record KafkaLogOptions(
    String bootstrapServers,
    String topic,
    short replicationFactor,
    Duration timeout,
    Clock clock,
    Optional<String> owner) {

  public static final String DEFAULT_TOPIC = "aigw-log";

  public KafkaLogOptions {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(owner, "owner");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("the Kafka bootstrap servers are empty");
    }
    if (topic.isBlank()) {
      throw new IllegalArgumentException("the Kafka topic is empty");
    }
  }

  /** Topic {@code topic} on {@code bootstrapServers}, the broker's replication, 30 s timeouts. */
  public static KafkaLogOptions of(String bootstrapServers, String topic) {
    return new KafkaLogOptions(
        bootstrapServers,
        topic,
        (short) -1,
        Duration.ofSeconds(30),
        Clock.systemUTC(),
        Optional.empty());
  }

  /** The same options for a log that belongs to {@code id}. */
  public KafkaLogOptions withOwner(String id) {
    return new KafkaLogOptions(
        bootstrapServers, topic, replicationFactor, timeout, clock, Optional.of(id));
  }
}
