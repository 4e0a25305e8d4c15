package io.aigw.deploy.cli;

import io.aigw.deploy.settings.Settings;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aigw}: the one binary for every run mode. */
@Command(
    name = "aigw",
    mixinStandardHelpOptions = true,
    // every subcommand takes --help and --version too
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = AigwVersion.class,
    description = "Event-sourced Envoy AI Gateway control plane and External Processor.",
    subcommands = {
      RunCommand.class,
      ControllerCommand.class,
      TranslateCommand.class,
      ValidateCommand.class,
      ReplayCommand.class,
      EnvoyBootstrapCommand.class,
      ExtProcCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AigwCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    routeJavaLoggingToSlf4j();
    System.exit(execute(args));
  }

  /**
   * The OpenTelemetry SDK reports a failed export through {@code java.util.logging}, which would
   * print it to standard error in a format of its own, whatever {@code --log-level} says.
   */
  static void routeJavaLoggingToSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /**
   * Runs the CLI and returns the exit code (tests call this instead of {@link #main}). A bad {@code
   * AIGW_*} value in the environment is a usage error, exit 2, as a bad flag is.
   */
  public static int execute(String... args) {
    return execute(System.getenv(), System.err, args);
  }

  /** {@link #execute(String...)} with the environment and error stream given. */
  static int execute(Map<String, String> env, PrintStream err, String... args) {
    Optional<String> badSetting = Settings.firstProblem(env);
    if (badSetting.isPresent()) {
      err.println("aigw: " + badSetting.get());
      return 2;
    }
    return new CommandLine(new AigwCommand()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
