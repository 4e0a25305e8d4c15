package io.aigw.core.log.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the log's topic can hold a log: created when missing with one partition, kept forever
 * and never compacted (the log is the source of truth, and compaction or a second partition would
 * break its gap-free order); an existing topic that differs is refused.
 */
final class KafkaTopic {

  /** The largest record the topic must take: the largest event and its header. */
  static final int MAX_MESSAGE_BYTES = KafkaRecords.MAX_EVENT_BYTES + 1024;

  private KafkaTopic() {}

  /** Creates the topic when missing, then checks it. */
  static void ensure(KafkaLogOptions options) {
    use(options, true);
  }

  /** Checks the topic, which must exist: for readers, which must not create one. */
  static void check(KafkaLogOptions options) {
    use(options, false);
  }

  private static void use(KafkaLogOptions options, boolean create) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                Long.toString(options.timeout().toMillis()),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Long.toString(options.timeout().toMillis() / 2)))) {
      if (create) {
        create(admin, options);
        checkOnceKnown(admin, options);
      } else {
        check(admin, options);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(
            "Kafka topic " + options.topic() + " does not exist at " + options.bootstrapServers(),
            e.getCause());
      }
      throw new IllegalStateException(
          "Kafka topic " + options.topic() + " cannot be used: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + options.bootstrapServers() + " did not answer in " + options.timeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the Kafka log", e);
    } catch (KafkaException e) {
      // a bootstrap address that does not resolve, a setting the client refuses
      throw new IllegalStateException(
          "Kafka at " + options.bootstrapServers() + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static void create(Admin admin, KafkaLogOptions options)
      throws InterruptedException, ExecutionException, TimeoutException {
    NewTopic topic =
        new NewTopic(
                options.topic(),
                Optional.of(1),
                options.replicationFactor() < 0
                    ? Optional.empty()
                    : Optional.of(options.replicationFactor()))
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG,
                    "-1",
                    TopicConfig.RETENTION_BYTES_CONFIG,
                    "-1",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(MAX_MESSAGE_BYTES)));
    try {
      admin.createTopics(List.of(topic)).all().get(wait(options), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /**
   * Checks a topic just created: the broker asked may not know it yet, since the controller hands
   * new topics to the brokers after it acknowledges the create.
   */
  private static void checkOnceKnown(Admin admin, KafkaLogOptions options)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (true) {
      try {
        check(admin, options);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static void check(Admin admin, KafkaLogOptions options)
      throws InterruptedException, ExecutionException, TimeoutException {
    TopicDescription description =
        admin
            .describeTopics(List.of(options.topic()))
            .allTopicNames()
            .get(wait(options), TimeUnit.MILLISECONDS)
            .get(options.topic());
    if (description.partitions().size() != 1) {
      throw new IllegalStateException(
          "Kafka topic "
              + options.topic()
              + " has "
              + description.partitions().size()
              + " partitions; the log needs exactly one, for one order");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, options.topic());
    Config config =
        admin
            .describeConfigs(List.of(resource))
            .all()
            .get(wait(options), TimeUnit.MILLISECONDS)
            .get(resource);
    var policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    if (policy != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      refuse(options, "is compacted; the log needs every entry (cleanup.policy=delete)");
    }
    for (String kept :
        List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG)) {
      var value = config.get(kept);
      if (value != null && !"-1".equals(value.value())) {
        refuse(options, "deletes old entries; the log needs them all (" + kept + "=-1)");
      }
    }
    var size = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    if (size != null && Long.parseLong(size.value()) < MAX_MESSAGE_BYTES) {
      refuse(
          options,
          "takes records up to "
              + size.value()
              + " bytes; the log's entries take up to "
              + MAX_MESSAGE_BYTES
              + " ("
              + TopicConfig.MAX_MESSAGE_BYTES_CONFIG
              + ")");
    }
  }

  private static void refuse(KafkaLogOptions options, String why) {
    throw new IllegalStateException("Kafka topic " + options.topic() + " " + why);
  }

  private static long wait(KafkaLogOptions options) {
    return options.timeout().toMillis();
  }
}
