package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.log.kafka.KafkaLogOptions;
import io.aigw.deploy.controller.ClusterClients;
import io.aigw.deploy.controller.ControllerOptions;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ControllerCommandTest {

  private final Vertx vertx = Vertx.vertx();
  private final KubernetesClient client =
      ClusterClients.of(
          vertx,
          new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withNamespace("ns").build());

  @AfterEach
  void close() {
    client.close();
    vertx.close();
  }

  private ControllerOptions options(String... arguments) {
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command).parseArgs(arguments);
    return command.options(client);
  }

  @Test
  void tlsFilesThatCannotBeServedStopTheStartBeforeTheLogIsReplayed(@TempDir Path dir) {
    Path missing = dir.resolve("tls.crt");

    CliRun run =
        CliRun.of(
            "controller",
            "--data",
            dir.resolve("data").toString(),
            "--admin-tls-cert",
            missing.toString(),
            "--admin-tls-key",
            dir.resolve("tls.key").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("aigw controller: --admin-tls-cert " + missing + ": no such file\n");
    assertThat(dir.resolve("data")).as("no log opened").doesNotExist();
  }

  @Test
  void theLogStaysUnderTheDataDirectoryUnlessKafkaIsNamed() {
    assertThat(options("--data", "/var/lib/aigw").kafka()).isEmpty();
    assertThat(options("--kafka-bootstrap", "kafka-0:9092,kafka-1:9092").kafka())
        .hasValueSatisfying(
            kafka -> {
              assertThat(kafka.bootstrapServers()).isEqualTo("kafka-0:9092,kafka-1:9092");
              assertThat(kafka.topic()).isEqualTo(KafkaLogOptions.DEFAULT_TOPIC);
            });
    assertThat(options("--kafka-bootstrap", "k:9092", "--kafka-topic", "aigw-prod").kafka())
        .hasValueSatisfying(kafka -> assertThat(kafka.topic()).isEqualTo("aigw-prod"));
  }
}
