package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.admin.tls.SelfSignedPem;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code aigw run} refuses to start; a start that succeeds runs until interrupted. */
class RunCommandTest {

  @TempDir Path data;

  @Test
  void aDirectoryThatDoesNotExistIsAUsageErrorNotAGatewayThatServesNothing() {
    Path missing = data.resolve("no-such-dir");

    CliRun run = CliRun.of("run", missing.toString(), "--data", data.resolve("d").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("aigw run: " + missing + " is not a directory\n");
  }

  @Test
  void aTakenPortIsNamedWithItsFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun run = runExamples(data, Integer.toString(taken.getLocalPort()));

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .startsWith(
              "aigw run: the ExtProc (--extproc-port) cannot start on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": ")
          .containsIgnoringCase("in use")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aBadTokenFileIsNamedAsSuchNotAsAPort() throws Exception {
    Path tokens = data.resolve("tokens");
    java.nio.file.Files.writeString(tokens, "writer:0123456789abcdef-secret\n");

    CliRun run = runExamples(data.resolve("d"), "0", "--admin-token-file", tokens.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("aigw run: " + tokens + " line 1: the role must be admin or read-only\n");
  }

  @Test
  void aDataDirectoryAnotherAigwHoldsIsNamedAsSuch() throws Exception {
    Path held = data.resolve("held");
    try (var log =
        io.aigw.core.log.file.FileEventLog.open(
            io.aigw.deploy.datadir.DataDirectory.logDirectory(held))) {
      CliRun run = runExamples(held, "0");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .startsWith("aigw run: ")
          .contains("is in use by another log")
          .doesNotContain("--extproc-port")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aTlsCertificateWithoutItsKeyIsAUsageError() {
    CliRun run = runExamples(data.resolve("d"), "0", "--admin-tls-cert", "tls.crt");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required argument", "--admin-tls-key=FILE");
  }

  @Test
  void tlsFilesThatCannotBeServedAreNamedWithTheirFlagNotAsAPort() throws Exception {
    SelfSignedPem pair = SelfSignedPem.create(data, "admin");
    Path missingKey = data.resolve("missing.key");

    CliRun run =
        runExamples(
            data.resolve("d"),
            "0",
            "--admin-tls-cert",
            pair.certificate().toString(),
            "--admin-tls-key",
            missingKey.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("aigw run: --admin-tls-key " + missingKey + ": no such file\n");
    assertThat(data.resolve("d")).as("said before the log is opened").doesNotExist();
  }

  /** {@code aigw run} on the bundled examples, any admin port; only a start that fails returns. */
  private static CliRun runExamples(Path data, String extprocPort, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                Fixtures.examples().toString(),
                "--data",
                data.toString(),
                "--extproc-port",
                extprocPort,
                "--admin-port",
                "0"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }
}
