package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AigwCommandTest {

  @Test
  void aBadSettingInTheEnvironmentStopsEveryCommandWithOneLineAndExitTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AigwCommand.execute(
            Map.of("AIGW_EXTPROC_CPU", "fast"),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "validate",
            "examples");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "aigw: AIGW_EXTPROC_CPU=fast: not a CPU quantity: \"fast\" (cores such as 2 or 1.5,"
                + " or millicores such as 500m, below 1000 cores)"
                + System.lineSeparator());
  }

  @Test
  void goodSettingsLetTheCommandRun() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AigwCommand.execute(
            Map.of("AIGW_EXTPROC_CPU", "2", "AIGW_ADMIN_PORT", "9090"),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "--version");
    assertThat(code).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "run",
        "controller",
        "translate",
        "validate",
        "replay",
        "envoy-bootstrap",
        "extproc"
      })
  void everyCommandTakesHelpAndVersion(String command) {
    CliRun run = CliRun.of(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("Usage: aigw " + command).contains("-h, --help");
    CliRun version = CliRun.of(command, "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).isEqualTo(CliRun.of("--version").out()).isNotBlank();
  }

  @Test
  void theVersionIsTheOneTheBuildWroteNotAPlaceholder() {
    // the build's own version (0.1.0-SNAPSHOT and the like), which operators read off a pod
    assertThat(CliRun.of("--version").out().strip()).matches("aigw \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void javaLoggingSuchAsTheTracingSdksGoesToTheOneLog() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Handler[] before = root.getHandlers();
    try {
      AigwCommand.routeJavaLoggingToSlf4j();

      assertThat(root.getHandlers())
          .singleElement()
          .isInstanceOf(org.slf4j.bridge.SLF4JBridgeHandler.class);
    } finally {
      for (java.util.logging.Handler handler : root.getHandlers()) {
        root.removeHandler(handler);
      }
      for (java.util.logging.Handler handler : before) {
        root.addHandler(handler);
      }
    }
  }
}
