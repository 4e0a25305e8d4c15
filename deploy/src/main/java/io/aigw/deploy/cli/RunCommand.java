package io.aigw.deploy.cli;

import io.aigw.admin.tls.TlsFilesException;
import io.aigw.deploy.run.BundledExamples;
import io.aigw.deploy.run.StandaloneGateway;
import io.aigw.deploy.run.StandaloneOptions;
import io.aigw.deploy.settings.Settings;
import io.aigw.extproc.tracing.Tracing;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aigw run}: everything in one process on a directory of manifests, no cluster. */
@Command(
    name = "run",
    description =
        "Watch a directory of AI Gateway manifests, record every change in the event log and"
            + " project the resources aigw would create. Runs until interrupted.")
public final class RunCommand implements Callable<Integer> {

  private static final Map<String, String> ENV = System.getenv();

  @Parameters(
      paramLabel = "DIR",
      arity = "0..1",
      description = "Directory of manifests (default: ./examples, else the bundled examples)")
  Path directory;

  @Option(
      names = "--data",
      description = "Data directory for the event log (default: ${DEFAULT-VALUE})")
  Path data = Settings.DATA_DIR.from(ENV);

  @Option(names = "--extproc-port", description = "ExtProc gRPC port (default: ${DEFAULT-VALUE})")
  int extprocPort = Settings.EXTPROC_PORT.from(ENV);

  @Option(
      names = "--extproc-host",
      description =
          "Address the ExtProc listens on (default: ${DEFAULT-VALUE}, this machine only: its"
              + " answers carry the backends' credentials; 0.0.0.0 for an Envoy elsewhere)")
  String extprocHost = StandaloneOptions.LOOPBACK;

  @Option(
      names = "--admin-port",
      description = "Admin API and dashboard port (default: ${DEFAULT-VALUE})")
  int adminPort = Settings.ADMIN_PORT.from(ENV);

  @Option(
      names = "--admin-host",
      description =
          "Address the admin API and dashboard listen on (default: ${DEFAULT-VALUE}, this machine"
              + " only: without --admin-tls-cert they speak plain HTTP, whose tokens anyone on the"
              + " network could read)")
  String adminHost = StandaloneOptions.LOOPBACK;

  @ArgGroup(exclusive = false)
  AdminTlsFlags adminTls;

  @Option(
      names = "--admin-token-file",
      description =
          "Admin API tokens, one `role:token` per line (roles admin, read-only); default: generate"
              + " and print them once")
  Path adminTokenFile;

  @Mixin HeaderAttributeFlags headerAttributes = new HeaderAttributeFlags();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (directory != null && !Files.isDirectory(directory)) {
      err.println("aigw run: " + directory + " is not a directory");
      err.flush();
      return 2;
    }
    Path dir = directory != null ? directory : defaultDirectory(data);
    StandaloneOptions options = options(dir);
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    Tracing tracing =
        Tracing.fromEnvironmentOrOff(
            ENV,
            headerAttributes.span(),
            problem ->
                log.atError()
                    .addKeyValue("problem", problem)
                    .log("tracing is off: the ExtProc serves requests untraced"));
    if (tracing != Tracing.OFF) {
      log.atInfo()
          .addKeyValue("tracing", tracing.description())
          .log("the ExtProc traces the requests it routes");
    }
    try {
      return run(dir, options, tracing, err);
    } finally {
      tracing.close();
    }
  }

  private Integer run(Path dir, StandaloneOptions options, Tracing tracing, PrintWriter err)
      throws Exception {
    Vertx vertx = CommandVertx.create();
    if (!tlsFilesServe(vertx, options, err)) {
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    StandaloneGateway gateway;
    try {
      gateway =
          StandaloneGateway.start(vertx, options, tracing.tracer(), headerAttributes.metrics())
              .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a port taken, a data directory another aigw holds: one line, not a stack trace
      err.println("aigw run: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      err.flush();
      vertx.close().await(10, TimeUnit.SECONDS);
      return 1;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    gateway
        .stopped()
        .onFailure(
            error -> {
              failure.set(error);
              stopped.countDown();
            });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    gateway.close().transform(v -> vertx.close()).await(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("aigw: shutdown did not finish cleanly: " + e);
                  }
                  // the last requests' spans, before the JVM halts
                  tracing.close();
                  stopped.countDown();
                },
                "aigw-shutdown"));
    stopped.await();
    if (failure.get() != null) {
      // the shutdown hook closes the gateway as the process exits
      err.println("aigw run: stopped following " + dir + ": " + failure.get().getMessage());
      err.flush();
      return 1;
    }
    return 0;
  }

  private StandaloneOptions options(Path dir) {
    return new StandaloneOptions(
        dir,
        data,
        extprocPort,
        adminPort,
        Settings.LOG_FSYNC.from(ENV),
        Settings.extProc(ENV),
        java.util.Optional.ofNullable(adminTokenFile),
        extprocHost,
        adminHost,
        AdminTlsFlags.files(adminTls));
  }

  /**
   * Whether the admin port's TLS files, if any, can be served; says why not and closes {@code
   * vertx} when they cannot. Before the log is replayed and the ports bound: a typo in a path is
   * said at once.
   */
  private static boolean tlsFilesServe(Vertx vertx, StandaloneOptions options, PrintWriter err)
      throws Exception {
    try {
      if (options.adminTls().isPresent()) {
        options.adminTls().get().read(vertx);
      }
      return true;
    } catch (TlsFilesException e) {
      err.println("aigw run: " + e.getMessage());
      err.flush();
      vertx.close().await(10, TimeUnit.SECONDS);
      return false;
    }
  }

  /** {@code ./examples} when it exists (a checkout), else the examples inside the jar. */
  static Path defaultDirectory(Path data) throws Exception {
    Path local = Path.of("examples");
    if (Files.isDirectory(local)) {
      return local;
    }
    return BundledExamples.extractTo(data.resolve("examples"));
  }
}
