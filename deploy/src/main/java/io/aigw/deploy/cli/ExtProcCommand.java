package io.aigw.deploy.cli;

import io.aigw.core.model.gateway.Names;
import io.aigw.extproc.auth.AwsDefaultCredentials;
import io.aigw.extproc.auth.FileCredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.RequestTracer;
import io.aigw.extproc.server.ExtProcServer;
import io.aigw.extproc.server.ExtProcVerticle;
import io.aigw.extproc.server.FileConfigSource;
import io.aigw.extproc.tracing.Tracing;
import io.aigw.projections.desired.ExtProcSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aigw extproc --config FILE}: the External Processor as a cluster runs it, one per route,
 * in the Deployment the controller generates. The filter config is the file the kubelet projects
 * from the route's ConfigMap; it is polled and swapped in atomically when it changes, and a file
 * that does not parse or does not compile leaves the last good config in service (logged with the
 * reason). Credentials are read from the policy Secrets mounted under {@code
 * /etc/backend_security_policy/…}, re-read when the kubelet rotates them.
 *
 * <p>gRPC health is NOT_SERVING until a config has been loaded. The admin port serves {@code
 * /healthz}, {@code /readyz} (a config is in service), {@code /metrics} (Prometheus) and {@code
 * /config} (the digest in service and why the current file was refused, if it was).
 */
@Command(
    name = "extproc",
    description =
        "Run the External Processor (Envoy ext_proc gRPC) on a filter-config file, reloading it"
            + " when it changes. Runs until interrupted.")
public final class ExtProcCommand implements Callable<Integer> {

  /** The admin port's default: next to the gRPC port, where the generated probes look. */
  public static final int DEFAULT_ADMIN_PORT = Names.EXTPROC_ADMIN_PORT;

  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Filter-config YAML (the route ConfigMap's extproc-config.yaml)")
  Path config;

  @Option(names = "--port", description = "ext_proc gRPC port (default: ${DEFAULT-VALUE})")
  int port = ExtProcServer.Options.DEFAULT_PORT;

  @Option(
      names = "--admin-port",
      description = "Health, readiness and metrics HTTP port (default: ${DEFAULT-VALUE})")
  int adminPort = DEFAULT_ADMIN_PORT;

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE})")
  String host = "0.0.0.0";

  @Spec CommandSpec spec;

  private Integer eventLoops;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      description =
          "Event loops serving the gRPC port (default: one per CPU, one fewer with --busy-poll)."
              + " On a box shared with Envoy, 1 leaves it the other cores (see BENCHMARKS.md)")
  void eventLoops(int count) {
    if (count < 1) {
      throw new ParameterException(
          spec.commandLine(), "--event-loops must be at least 1, got " + count);
    }
    eventLoops = count;
  }

  private int busyPollMicros;

  @Option(
      names = "--busy-poll",
      paramLabel = "MICROS",
      description =
          "Microseconds an event loop keeps polling for I/O after its last I/O or wake-up"
              + " before it sleeps (default: 0, sleep at once; at most 1000000). Trades CPU for"
              + " tail latency: under load each loop holds a core, so give the ExtProc cores of its"
              + " own (see README). Needs epoll (Linux x86_64)")
  void busyPoll(long micros) {
    try {
      int window = ExtProcSettings.busyPollWindow(micros);
      if (window > 0) {
        BusyPollTransport.requireEpoll();
      }
      busyPollMicros = window;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), "--busy-poll: " + e.getMessage());
    }
  }

  @Option(
      names = "--reload-interval-ms",
      description = "How often the config file is checked for a change (default: ${DEFAULT-VALUE})")
  long reloadIntervalMillis = FileConfigSource.DEFAULT_PERIOD_MILLIS;

  @Option(
      names = "--log-level",
      description = "trace, debug, info, warn or error (default: $AIGW_LOG_LEVEL, else info)")
  String logLevel = System.getenv().getOrDefault("AIGW_LOG_LEVEL", "info");

  /** Longer would outlast any termination grace period a pod is given. */
  static final long MAX_SHUTDOWN_DELAY_SECONDS = 300;

  long shutdownDelaySeconds = 0;

  @Option(
      names = "--shutdown-delay",
      paramLabel = "SECONDS",
      description =
          "After a stop signal, answer /readyz 503 and go on serving this long (0 to 300) before"
              + " draining the streams, while the endpoint's removal reaches Envoy (default: 0;"
              + " the generated Deployment gives 5)")
  void shutdownDelay(long seconds) {
    if (seconds < 0 || seconds > MAX_SHUTDOWN_DELAY_SECONDS) {
      throw new ParameterException(
          spec.commandLine(),
          "--shutdown-delay: must be between 0 and "
              + MAX_SHUTDOWN_DELAY_SECONDS
              + " seconds, got "
              + seconds);
    }
    shutdownDelaySeconds = seconds;
  }

  @Mixin HeaderAttributeFlags headerAttributes = new HeaderAttributeFlags();

  /** Where tracing reads its {@code OTEL_*} variables: the process's, but for tests. */
  Map<String, String> environment = System.getenv();

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;

  /**
   * What {@link #call()} started, once it serves: with port 0 the ports are known only then. A
   * caller that picked free ports itself could lose them to another socket before they are bound.
   */
  final CompletableFuture<Running> started = new CompletableFuture<>();

  /** What one started ExtProc holds, closed in reverse order. */
  record Running(ExtProcServer server, FileConfigSource source, HttpServer admin) {
    Future<Void> close() {
      source.close();
      return admin.close().transform(ignored -> server.close());
    }
  }

  @Override
  public Integer call() throws Exception {
    // whoever waits for the ports learns why they never come, however start-up ended
    try {
      return serve();
    } catch (Exception e) {
      started.completeExceptionally(e);
      throw e;
    } finally {
      started.completeExceptionally(new IllegalStateException("aigw extproc ended before serving"));
    }
  }

  private Integer serve() throws Exception {
    // before the first logger exists: slf4j-simple reads its level once
    System.setProperty(LOG_LEVEL_PROPERTY, logLevel.toLowerCase(Locale.ROOT));
    Logger log = LoggerFactory.getLogger(ExtProcCommand.class);
    // IRSA or Pod Identity credentials, fetched by the time Envoy sends the first request
    AwsDefaultCredentials.prefetch();
    // read once: the CPU count can change under a running JVM, and the pool must fit the verticles
    ExtProcServer.Options options = serverOptions();
    Tracing tracing = tracing();
    try {
      return serve(log, options, tracing);
    } finally {
      tracing.close();
    }
  }

  /** Tracing as the environment asks; a setting it cannot use is logged and leaves it off. */
  Tracing tracing() {
    return Tracing.fromEnvironmentOrOff(
        environment,
        headerAttributes.span(),
        problem ->
            LoggerFactory.getLogger(ExtProcCommand.class)
                .atError()
                .addKeyValue("problem", problem)
                .log("tracing is off: the ExtProc serves requests untraced"));
  }

  private Integer serve(Logger log, ExtProcServer.Options options, Tracing tracing)
      throws Exception {
    Vertx vertx = vertx(options);
    Running running;
    try {
      running = start(vertx, options, tracing.tracer()).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
    started.complete(running);
    log.atInfo()
        .addKeyValue("config", config)
        .addKeyValue("port", running.server().port())
        .addKeyValue("adminPort", running.admin().actualPort())
        .addKeyValue("eventLoops", options.instances())
        .addKeyValue("busyPollMicros", busyPollMicros)
        .addKeyValue("tracing", tracing.description())
        .log("aigw extproc started");
    // the JVM halts once its hooks return: this one waits for the drain below, or the streams in
    // flight would be cut at the signal
    Thread hook = new Thread(this::stopAndWait, "aigw-extproc-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is what stopped us
    }
    try {
      stopping = true;
      running.server().stopServing();
      if (shutdownDelaySeconds > 0) {
        log.info("aigw extproc stopping: not ready, serving {} s more", shutdownDelaySeconds);
        TimeUnit.SECONDS.sleep(shutdownDelaySeconds);
      }
      // the streams in flight finish first (ExtProcVerticle.SHUTDOWN_GRACE_SECONDS)
      running.close().await(ExtProcVerticle.SHUTDOWN_GRACE_SECONDS + 5, TimeUnit.SECONDS);
    } finally {
      try {
        // awaited on its own: a future chained after it would complete on a closed event loop
        vertx.close().await(10, TimeUnit.SECONDS);
      } finally {
        try {
          // the last streams' spans, before the shutdown hook lets the JVM halt
          tracing.close();
          log.info("aigw extproc stopped");
        } finally {
          finished.countDown();
        }
      }
    }
    return 0;
  }

  /** The shutdown hook: stops {@link #call()} and waits, bounded, for it to drain and close. */
  private void stopAndWait() {
    stopped.countDown();
    try {
      finished.await(
          shutdownDelaySeconds + ExtProcVerticle.SHUTDOWN_GRACE_SECONDS + 20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends {@link #call()} as a shutdown signal would. */
  void stop() {
    stopped.countDown();
  }

  /** How long an idle event loop polls before it sleeps, from {@code --busy-poll}. */
  int busyPollMicros() {
    return busyPollMicros;
  }

  /**
   * How the gRPC server listens, from the flags. Polling loops default to one CPU fewer than the
   * machine has (at least one): under load each holds its CPU, and the JVM's collector and compiler
   * need one too, or a container's CPU limit would throttle the loops.
   */
  ExtProcServer.Options serverOptions() {
    ExtProcServer.Options options = ExtProcServer.Options.onPort(port).withHost(host);
    if (eventLoops != null) {
      return options.withInstances(eventLoops);
    }
    return busyPollMicros == 0
        ? options
        : options.withInstances(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
  }

  /** The Vert.x to serve {@code options} on: polling loops, one per verticle, with --busy-poll. */
  Vertx vertx(ExtProcServer.Options options) {
    return busyPollMicros == 0
        ? CommandVertx.create()
        : CommandVertx.polling(busyPollMicros, options.instances());
  }

  /** Starts the gRPC server, then the file watch, then the admin port. */
  Future<Running> start(Vertx vertx, ExtProcServer.Options options, RequestTracer tracer) {
    ExtProcMetrics metrics = new ExtProcMetrics(headerAttributes.metrics());
    return ExtProcServer.start(vertx, options, new FileCredentialSource(), metrics, tracer)
        .compose(
            server ->
                FileConfigSource.watch(vertx, config, reloadIntervalMillis, server::replaceIfValid)
                    .compose(
                        source ->
                            vertx
                                .createHttpServer()
                                .requestHandler(request -> admin(request, source, metrics))
                                .listen(adminPort, host)
                                .map(admin -> new Running(server, source, admin))
                                .onFailure(e -> source.close()))
                    .onFailure(e -> server.close()));
  }

  private void admin(HttpServerRequest request, FileConfigSource source, ExtProcMetrics metrics) {
    boolean ready = !source.appliedDigest().isEmpty() && !stopping;
    switch (request.path()) {
      case "/healthz" -> request.response().end("ok\n");
      case "/readyz" ->
          request
              .response()
              .setStatusCode(ready ? 200 : 503)
              .end(
                  ready
                      ? "ready\n"
                      : stopping ? "shutting down\n" : "no filter config loaded yet\n");
      case "/metrics" ->
          request
              .response()
              .putHeader("content-type", ExtProcMetrics.contentType())
              .end(metrics.scrape());
      case "/config" ->
          request
              .response()
              .putHeader("content-type", "application/json")
              .end(
                  new JsonObject()
                      .put("file", config.toString())
                      .put("appliedDigest", source.appliedDigest())
                      .put("problems", new JsonArray(source.lastProblems()))
                      .encode());
      default -> request.response().setStatusCode(404).end();
    }
  }
}
