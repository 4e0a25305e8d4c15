package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExtProcCommandTest {

  @Test
  void theGeneratedDeploymentsArgumentsGiveTheUpstreamPorts() {
    ExtProcCommand command = new ExtProcCommand();
    new CommandLine(command).parseArgs("--config", "/etc/ai-gateway/extproc/extproc-config.yaml");
    assertThat(command.config).isEqualTo(Path.of("/etc/ai-gateway/extproc/extproc-config.yaml"));
    assertThat(command.port).isEqualTo(1063);
    assertThat(command.adminPort).isEqualTo(1064);
    assertThat(command.host).isEqualTo("0.0.0.0");
    assertThat(command.reloadIntervalMillis).isEqualTo(1000);
    assertThat(command.serverOptions().instances())
        .as("one event loop per CPU")
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void aTracingSettingTheSdkCannotUseLeavesTheExtProcServingUntraced() {
    ExtProcCommand command = new ExtProcCommand();
    new CommandLine(command).parseArgs("--config", "c.yaml");
    command.environment =
        java.util.Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
    assertThat(command.tracing()).isSameAs(io.aigw.extproc.tracing.Tracing.OFF);

    command.environment = java.util.Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
    try (var tracing = command.tracing()) {
      assertThat(tracing.description())
          .isEqualTo("spans to otlp (http/protobuf) at http://collector:4318");
    }
  }

  @Test
  void aSpanAttributeFromACredentialHeaderIsRefused() {
    assertThat(
            refusal("--config", "c.yaml", "--span-request-header-attributes", "authorization:user"))
        .contains(
            "--span-request-header-attributes: header authorization carries a credential and is"
                + " never recorded");
  }

  @Test
  void aMetricsLabelFromACredentialHeaderOrShadowingAnOwnLabelIsRefused() {
    assertThat(
            refusal("--config", "c.yaml", "--metrics-request-header-attributes", "x-api-key:key"))
        .contains("--metrics-request-header-attributes: header x-api-key carries a credential");
    assertThat(
            refusal("--config", "c.yaml", "--metrics-request-header-attributes", "x-route:route"))
        .contains(
            "--metrics-request-header-attributes: attribute route is a label of the metrics' own");
  }

  @Test
  void eventLoopsCanBeSetAndMustBeAtLeastOne() {
    ExtProcCommand command = new ExtProcCommand();
    new CommandLine(command).parseArgs("--config", "c.yaml", "--event-loops", "1");
    assertThat(command.serverOptions().instances()).isEqualTo(1);

    assertThat(refusal("--config", "c.yaml", "--event-loops", "0"))
        .contains("--event-loops must be at least 1, got 0");
  }

  @Test
  void busyPollingIsOffByDefaultAndTakesAWindowWithinBounds() {
    ExtProcCommand sleeping = new ExtProcCommand();
    new CommandLine(sleeping).parseArgs("--config", "c.yaml");
    assertThat(sleeping.busyPollMicros()).isZero();
    Vertx plain = sleeping.vertx(sleeping.serverOptions());
    try {
      assertThat(((VertxInternal) plain).transport().getClass().getEnclosingClass())
          .isNotEqualTo(BusyPollTransport.class);
    } finally {
      plain.close().await();
    }

    assertThat(refusal("--config", "c.yaml", "--busy-poll", "-5"))
        .contains(
            "--busy-poll: busy-poll window must be between 0 and 1000000 microseconds, got -5");
    if (!Transport.EPOLL.available()) {
      assertThat(refusal("--config", "c.yaml", "--busy-poll", "200"))
          .contains("--busy-poll: busy polling needs Netty's native epoll transport");
      return;
    }

    // the arguments the controller generates with AIGW_EXTPROC_BUSY_POLL=200
    ExtProcCommand polling = new ExtProcCommand();
    new CommandLine(polling)
        .parseArgs("--config", "/etc/ai-gateway/extproc/extproc-config.yaml", "--busy-poll", "200");
    assertThat(polling.busyPollMicros()).isEqualTo(200);
    assertThat(polling.serverOptions().instances())
        .as("a CPU left for the JVM's other threads")
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    // the Vert.x the command serves on polls, with a loop per verticle and no spare one
    Vertx vertx = polling.vertx(polling.serverOptions());
    try {
      VertxInternal internal = (VertxInternal) vertx;
      assertThat(internal.transport().getClass().getEnclosingClass())
          .isEqualTo(BusyPollTransport.class);
      assertThat(internal.eventLoopGroup()).hasSize(polling.serverOptions().instances());
    } finally {
      vertx.close().await();
    }
    ExtProcCommand counted = new ExtProcCommand();
    new CommandLine(counted)
        .parseArgs("--config", "c.yaml", "--busy-poll", "200", "--event-loops", "3");
    assertThat(counted.serverOptions().instances()).isEqualTo(3);
  }

  @Test
  void aShutdownDelayIsZeroToFiveMinutes() {
    // a delay of years could only be ended with SIGKILL
    assertThat(refusal("--config", "c.yaml", "--shutdown-delay", "-5"))
        .contains("--shutdown-delay: must be between 0 and 300 seconds, got -5");
    assertThat(refusal("--config", "c.yaml", "--shutdown-delay", "100000000000"))
        .contains("got 100000000000");
    for (String taken : new String[] {"0", "300"}) {
      ExtProcCommand command = new ExtProcCommand();
      new CommandLine(command).parseArgs("--config", "c.yaml", "--shutdown-delay", taken);
      assertThat(command.shutdownDelaySeconds).isEqualTo(Long.parseLong(taken));
    }
  }

  @Test
  void aConfigFileIsRequired() {
    assertThat(refusal()).contains("Missing required option: '--config=FILE'");
  }

  /** What {@code aigw extproc ARGS} prints when it refuses them with exit code 2. */
  private static String refusal(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "extproc";
    System.arraycopy(args, 0, command, 1, args.length);
    CliRun run = CliRun.of(command);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    return run.err();
  }
}
