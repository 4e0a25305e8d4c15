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
  }

  @Test
  void aConfigFileIsRequired() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new ExtProcCommand()).setErr(new PrintWriter(err)).execute();
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
  }
}
