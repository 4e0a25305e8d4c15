package io.aigw.extproc.server;

import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.auth.CredentialSource;
import io.aigw.extproc.auth.GcpDefaultCredentials;
import io.aigw.extproc.processor.BackendHealth;
import io.aigw.extproc.processor.ExchangeObserver;
import io.aigw.extproc.processor.FilterConfigAdapter;
import io.aigw.extproc.processor.PassiveHealthPolicy;
import io.aigw.extproc.processor.ProcessorEnvironment;
import io.aigw.extproc.processor.RequestBodyBudget;
import io.aigw.extproc.processor.RequestTracer;
import io.aigw.extproc.processor.RoutingTable;
import io.aigw.extproc.quota.QuotaLedger;
import io.aigw.extproc.quota.QuotaUsage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ExtProc: Envoy's ext_proc v3 gRPC service plus gRPC health, on Vert.x. Routes come in as
 * {@link FilterConfig}s; each change builds a new {@link RoutingTable} that is swapped in
 * atomically (streams in flight keep the table they started with).
 *
 * <pre>{@code
 * // aigw run: one ExtProc for every route, configs from the projections
 * ExtProcServer server = ExtProcServer.start(vertx, Options.onPort(1063),
 *     new SecretCredentialSource(secretLookup), metrics).await();
 * server.update(configs);                 // on every FilterConfigProjection change
 *
 * // aigw extproc --config FILE: one route (or a list), reloaded when the file changes
 * ExtProcServer server = ExtProcServer.start(vertx, Options.onPort(1063),
 *     new FileCredentialSource(), metrics).await();
 * FileConfigSource.watch(vertx, Path.of(file), server::replaceIfValid);
 * }</pre>
 */
public final class ExtProcServer {

  private static final Logger log = LoggerFactory.getLogger(ExtProcServer.class);

  /**
   * Listener settings.
   *
   * @param host the address to bind ({@code 0.0.0.0} for all)
   * @param port the port (1063 by convention; 0 picks a free one)
   * @param instances event loops serving the port
   * @param maxMessageBytes the largest gRPC message accepted (bodies up to 50 MiB plus framing)
   * @param health when passive health ejects a backend
   */
  public record Options(
      String host,
      int port,
      int instances,
      long maxMessageBytes,
      PassiveHealthPolicy health,
      Duration shutdownGrace) {

    public static final int DEFAULT_PORT = 1063;

    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(shutdownGrace, "shutdownGrace");
      if (instances < 1) {
        throw new IllegalArgumentException("instances must be at least 1");
      }
    }

    /**
     * All interfaces, one instance per core, 64 MiB messages, default passive health, and {@link
     * ExtProcVerticle#SHUTDOWN_GRACE_SECONDS} for the streams in flight at a stop.
     */
    public static Options onPort(int port) {
      return new Options(
          "0.0.0.0",
          port,
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          64L * 1024 * 1024,
          PassiveHealthPolicy.DEFAULT,
          Duration.ofSeconds(ExtProcVerticle.SHUTDOWN_GRACE_SECONDS));
    }

    public Options withHost(String newHost) {
      return new Options(newHost, port, instances, maxMessageBytes, health, shutdownGrace);
    }

    public Options withInstances(int count) {
      return new Options(host, port, count, maxMessageBytes, health, shutdownGrace);
    }

    public Options withHealth(PassiveHealthPolicy policy) {
      return new Options(host, port, instances, maxMessageBytes, policy, shutdownGrace);
    }

    public Options withShutdownGrace(Duration grace) {
      return new Options(host, port, instances, maxMessageBytes, health, grace);
    }
  }

  private final Vertx vertx;
  private final AtomicReference<RoutingTable> table =
      new AtomicReference<>(RoutingTable.notLoaded());
  private final AtomicBoolean configured = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final BackendHealth health;
  private final ExchangeObserver observer;
  private volatile int port;
  private volatile List<String> deployments = List.of();
  private volatile List<ExtProcVerticle> verticles = List.of();
  private volatile Duration shutdownGrace = Duration.ZERO;

  private ExtProcServer(Vertx vertx, BackendHealth health, ExchangeObserver observer) {
    this.vertx = vertx;
    this.health = health;
    this.observer = observer;
  }

  /**
   * Starts listening. Until the first {@link #update}/{@link #replaceIfValid} no config is loaded:
   * every request gets 503 {@code not_ready} at its headers (the paths served come with the
   * config), and health says NOT_SERVING.
   */
  public static Future<ExtProcServer> start(
      Vertx vertx, Options options, CredentialSource credentials, ExchangeObserver observer) {
    return start(vertx, options, credentials, observer, RequestTracer.OFF);
  }

  /** Starts listening, each request routed traced by {@code tracer}. */
  public static Future<ExtProcServer> start(
      Vertx vertx,
      Options options,
      CredentialSource credentials,
      ExchangeObserver observer,
      RequestTracer tracer) {
    BackendHealth health = new BackendHealth(options.health());
    ExchangeObserver logging = new LoggingObserver(observer);
    ExtProcServer server = new ExtProcServer(vertx, health, logging);
    RequestBodyBudget bodies = RequestBodyBudget.ofHeap();
    logging.bodyBudget(bodies);
    QuotaLedger quotas = new QuotaLedger();
    logging.quotaUsage(() -> server.quotaUsage(quotas, System.currentTimeMillis()));
    ProcessorEnvironment env =
        new ProcessorEnvironment(
            System::nanoTime,
            () -> ThreadLocalRandom.current().nextDouble(),
            credentials,
            health,
            logging,
            Clock.systemUTC(),
            bodies,
            tracer,
            quotas);
    return server.deploy(options, env).map(server);
  }

  private Future<Void> deploy(Options options, ProcessorEnvironment env) {
    int bindPort;
    try {
      bindPort = options.port() == 0 ? freePort(options.host()) : options.port();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    List<ExtProcVerticle> instances = new CopyOnWriteArrayList<>();
    verticles = instances;
    shutdownGrace = options.shutdownGrace();
    return vertx
        .deployVerticle(
            () -> {
              ExtProcVerticle verticle = verticle(options, bindPort, env);
              instances.add(verticle);
              return verticle;
            },
            new DeploymentOptions().setInstances(options.instances()))
        .onSuccess(
            id -> {
              deployments = List.of(id);
              port = instances.get(0).actualPort();
              log.atInfo()
                  .addKeyValue("port", port)
                  .log("ExtProc listening on {}:{}", options.host(), port);
            })
        .mapEmpty();
  }

  /** Vert.x shares one port among instances only when they name it, so 0 is resolved first. */
  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private ExtProcVerticle verticle(Options options, int bindPort, ProcessorEnvironment env) {
    return new ExtProcVerticle(
        options, bindPort, table::get, env, () -> configured.get() && !stopping.get());
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  /** The table new streams use. */
  public RoutingTable routingTable() {
    return table.get();
  }

  /** How much of each quota bucket the routes in service name is used at {@code now}. */
  List<QuotaUsage> quotaUsage(QuotaLedger ledger, long now) {
    List<QuotaUsage> usage = new ArrayList<>();
    table.get().quotaPlans().values().forEach(plan -> usage.addAll(plan.usage(ledger, now)));
    return usage;
  }

  /** The shared passive-health state (for diagnostics and tests). */
  public BackendHealth health() {
    return health;
  }

  /** Swaps in a table built elsewhere. */
  public void swap(RoutingTable next) {
    table.set(Objects.requireNonNull(next, "next"));
    configured.set(true);
    if (next.usesGcpDefaultCredentials()) {
      GcpDefaultCredentials.prefetch();
    }
    // the metrics keep a label for each model the config names, whatever clients sent before
    observer.modelsDeclared(next.declaredModels());
  }

  /**
   * Serves {@code configs}, leaving out (and returning the problems of) routes that do not compile:
   * one broken route never takes the others down. For {@code aigw run}.
   */
  public List<String> update(List<FilterConfig> configs) {
    FilterConfigAdapter.Result result = FilterConfigAdapter.toRoutingTable(configs);
    swap(result.table());
    result.problems().forEach(p -> log.atWarn().addKeyValue("problem", p).log("route not served"));
    log.atInfo().addKeyValue("routes", result.table().routes().size()).log("routing table updated");
    return result.problems();
  }

  /**
   * Serves {@code configs} only if every route compiles; otherwise keeps the current table and
   * returns the problems. For a config file, which changes as a whole.
   */
  public List<String> replaceIfValid(List<FilterConfig> configs) {
    FilterConfigAdapter.Result result = FilterConfigAdapter.toRoutingTable(configs);
    if (!result.problems().isEmpty()) {
      return result.problems();
    }
    swap(result.table());
    log.atInfo().addKeyValue("routes", result.table().routes().size()).log("routing table updated");
    return List.of();
  }

  /**
   * From now on gRPC health says NOT_SERVING, as {@code /readyz} answers 503, while the server goes
   * on serving: an Envoy that health-checks its ExtProc cluster drains this one before it stops.
   */
  public void stopServing() {
    stopping.set(true);
  }

  /** The streams the last {@link #close} cut: still open, or reset, when its grace ran out. */
  public int streamsCut() {
    return verticles.stream().mapToInt(ExtProcVerticle::streamsCut).sum();
  }

  /**
   * Stops listening and lets the streams in flight end, within the shutdown grace; the streams the
   * grace cut are logged, since Envoy fails each of their requests.
   */
  public Future<Void> close() {
    stopServing();
    List<Future<Void>> undeploys = deployments.stream().map(vertx::undeploy).toList();
    deployments = List.of();
    return Future.all(undeploys)
        .<Void>mapEmpty()
        .onComplete(
            done -> {
              int cut = streamsCut();
              if (cut > 0) {
                log.atWarn()
                    .addKeyValue("streams", cut)
                    .addKeyValue("graceSeconds", shutdownGrace.toSeconds())
                    .log(
                        "ExtProc stopped with streams still open after the grace, or reset during"
                            + " it: their requests failed");
              }
            });
  }
}
