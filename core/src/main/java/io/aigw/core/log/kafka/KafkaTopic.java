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
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes sure the log's topic can hold a log: created when missing with one partition, kept forever
 * and never compacted (the log is the source of truth, and compaction or a second partition would
 * break its gap-free order); an existing topic that differs is refused.
 */
final class KafkaTopic {

  private KafkaTopic() {}

  static void ensure(KafkaLogOptions options) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                Long.toString(options.timeout().toMillis())))) {
      create(admin, options);
      check(admin, options);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka topic " + options.topic() + " cannot be used: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + options.bootstrapServers() + " did not answer in " + options.timeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the Kafka log", e);
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
                    Integer.toString(KafkaRecords.MAX_EVENT_BYTES + 1024)));
    try {
      admin.createTopics(List.of(topic)).all().get(wait(options), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
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
      throw new IllegalStateException(
          "Kafka topic "
              + options.topic()
              + " is compacted; the log needs every entry (cleanup.policy=delete)");
    }
  }

  private static long wait(KafkaLogOptions options) {
    return options.timeout().toMillis();
  }
}
