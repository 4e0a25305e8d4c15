package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
  void eventLoopsCanBeSetAndMustBeAtLeastOne() {
    ExtProcCommand command = new ExtProcCommand();
    new CommandLine(command).parseArgs("--config", "c.yaml", "--event-loops", "1");
    assertThat(command.serverOptions().instances()).isEqualTo(1);

    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new ExtProcCommand())
            .setErr(new PrintWriter(err))
            .execute("--config", "c.yaml", "--event-loops", "0");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--event-loops must be at least 1, got 0");
  }

  @Test
  void aConfigFileIsRequired() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new ExtProcCommand()).setErr(new PrintWriter(err)).execute();
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
  }
}
