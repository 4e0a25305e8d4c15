package io.aigw.deploy.run;

import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminServer;
import io.aigw.admin.server.AdminSources;
import io.aigw.admin.server.AdminTokens;
import io.aigw.admin.tls.TlsFilesException;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.LogPublisher;
import io.aigw.deploy.datadir.DataDirectory;
import io.aigw.deploy.restore.DirectoryRestoreTarget;
import io.aigw.deploy.settings.Settings;
import io.aigw.extproc.auth.SecretCredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestTracer;
import io.aigw.extproc.server.ExtProcServer;
import io.aigw.projections.gateway.ExtProcScope;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.Change;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.watchers.directory.DirectoryScan;
import io.aigw.watchers.directory.DirectoryWatcher;
import io.aigw.watchers.secret.SecretValues;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * {@code aigw run}: a directory of manifests, watched into the file log, folded by the projections.
 * One process, no cluster. Start with {@link #start}; {@link #ready()} completes once the first
 * scan of the directory is in the log and folded.
 */
public final class StandaloneGateway {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneGateway.class);

  private final Vertx vertx;
  private final StandaloneOptions options;
  private final RequestTracer tracer;
  // the watcher's, ahead of the log (and of scans still waiting to be appended: it reads on); what
  // the ExtProc reads is taken from a snapshot of it per scan, once that scan is folded
  private final SecretValues scannedSecrets = new SecretValues();
  private final SecretValues servedSecrets = new SecretValues();
  private final CompositeDisposable subscriptions = new CompositeDisposable();
  private final Promise<Void> ready = Promise.promise();
  private EventLog log;
  private LogPublisher publisher;
  private ProjectionHost<GatewayState> host;
  private final ExtProcMetrics metrics;
  private ExtProcServer extProc;
  private long servedSeq = -1; // guarded by this
  private long servings; // guarded by this
  // the state whose statuses were said last; read and written by one scan's serving at a time
  private GatewayState reported;
  private volatile boolean closing;
  private AdminServer admin;
  private final Promise<Void> stopped = Promise.promise();

  /** How many objects the ready line's list of the not accepted names at most. */
  private static final int MAX_LISTED = 20;

  private GatewayProjection projection;

  private StandaloneGateway(
      Vertx vertx, StandaloneOptions options, RequestTracer tracer, ExtProcMetrics metrics) {
    this.tracer = tracer;
    this.metrics = metrics;
    this.vertx = vertx;
    this.options = options;
  }

  /** Opens the log, replays it, then starts watching the directory. */
  public static Future<StandaloneGateway> start(Vertx vertx, StandaloneOptions options) {
    return start(vertx, options, RequestTracer.OFF, HeaderAttributes.parse("none"));
  }

  /**
   * Starts the gateway, its ExtProc's requests traced by {@code tracer} and their metrics labelled
   * with the request headers {@code metricLabels} maps.
   */
  public static Future<StandaloneGateway> start(
      Vertx vertx, StandaloneOptions options, RequestTracer tracer, HeaderAttributes metricLabels) {
    StandaloneGateway gateway =
        new StandaloneGateway(vertx, options, tracer, new ExtProcMetrics(metricLabels));
    return gateway
        .openLog()
        .compose(v -> gateway.startProjections())
        .compose(v -> gateway.startExtProc())
        .compose(v -> gateway.startAdmin())
        .map(v -> gateway.watch());
  }

  /**
   * A server that did not start names its address and flag: the bind error of a taken port names
   * neither.
   */
  private static <T> Future<T> failedToListen(Throwable error, String what, String host, int port) {
    if (error instanceof TlsFilesException) {
      // names its option and file: not a port's problem
      return Future.failedFuture(error);
    }
    return Future.failedFuture(
        new CannotListen(
            "the " + what + " cannot start on " + host + ":" + port + ": " + error.getMessage(),
            error));
  }

  /** A server of {@code aigw run} that did not start, most often on a port already taken. */
  private static final class CannotListen extends RuntimeException {
    CannotListen(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Future<Void> openLog() {
    return vertx.executeBlocking(
        () -> {
          log = DataDirectory.openLog(options.dataDirectory(), options.fsync());
          return null;
        });
  }

  private Future<Void> startProjections() {
    publisher = LogPublisher.start(vertx, log);
    // one ExtProc serves every route here, so no route takes another's requests
    projection = new GatewayProjection(options.extProc(), ExtProcScope.EVERY_ROUTE);
    host = new ProjectionHost<>(log, projection, Settings.gatewayHost(System.getenv()));
    subscriptions.add(host.changes().subscribe(this::report, this::failed));
    return host.start(vertx);
  }

  /**
   * One ExtProc serves every route of the directory, with the values of Secrets from memory. It
   * takes the filter configs and the Secret values of a scan once the fold has taken the whole scan
   * (see {@link #served}), and serves nothing (503 {@code not_ready}) until the first scan is
   * folded: a replayed log names the routes before the scan has read their Secrets' values.
   */
  private Future<Void> startExtProc() {
    var credentials = new SecretCredentialSource(servedSecrets::text);
    return ExtProcServer.start(
            vertx,
            ExtProcServer.Options.onPort(options.extprocPort()).withHost(options.extprocHost()),
            credentials,
            metrics,
            tracer)
        .recover(
            e ->
                failedToListen(
                    e, "ExtProc (--extproc-port)", options.extprocHost(), options.extprocPort()))
        .compose(
            server -> {
              extProc = server;
              return Future.<Void>succeededFuture();
            });
  }

  /** The admin API and dashboard; restores write the object back into the directory. */
  private Future<Void> startAdmin() {
    return vertx
        .executeBlocking(this::adminTokens)
        .compose(
            tokens ->
                AdminServer.start(
                        vertx,
                        new AdminOptions(
                            options.adminHost(), options.adminPort(), tokens, options.adminTls()),
                        new AdminSources(
                            log,
                            host,
                            projection,
                            new DirectoryRestoreTarget(options.directory()),
                            metrics::scrape))
                    .recover(
                        e ->
                            failedToListen(
                                e,
                                "admin API (--admin-port)",
                                options.adminHost(),
                                options.adminPort())))
        .map(
            server -> {
              admin = server;
              LOG.atInfo()
                  .addKeyValue("port", server.port())
                  .log(
                      "admin API and dashboard on {}://{}:{}/",
                      server.https() ? "https" : "http",
                      options.adminHost(),
                      server.port());
              return null;
            });
  }

  private AdminTokens adminTokens() throws java.io.IOException {
    if (options.adminTokenFile().isPresent()) {
      return AdminTokens.load(options.adminTokenFile().get());
    }
    // the admin server prints generated tokens once, to the terminal, never to the log
    return AdminTokens.generate(new java.security.SecureRandom());
  }

  /** Serves the state's filter configs unless a later state was served already. */
  private void serveConfigs(GatewayState state) {
    // derived outside the lock: the first read of a replayed state derives them, and the fold
    // thread may be waiting to serve the next change
    List<FilterConfig> configs = List.copyOf(state.filterConfigs().values());
    List<String> problems;
    synchronized (this) {
      if (state.seq() <= servedSeq) {
        return;
      }
      servedSeq = state.seq();
      servings++;
      problems = extProc.update(configs);
    }
    for (String problem : problems) {
      LOG.atWarn().addKeyValue("seq", state.seq()).log("ExtProc left out: {}", problem);
    }
  }

  private StandaloneGateway watch() {
    Map<ObjectKey, WatchEvent> recorded = new TreeMap<>();
    host.current().world().objects().forEach((key, object) -> recorded.put(key, object.event()));
    DirectoryWatcher watcher =
        DirectoryWatcher.builder(options.directory())
            .recorded(recorded)
            .resourceVersionFloor(log.latestSeq())
            .secretValues(scannedSecrets)
            .build();
    LOG.atInfo()
        .addKeyValue("dir", options.directory())
        .addKeyValue("replayedSeq", host.currentSeq())
        .log("watching {}", options.directory());
    subscriptions.add(
        watcher
            .scans()
            // the values as this scan left them, before the watcher reads the next
            .map(scan -> new ScanAndSecrets(scan, scannedSecrets.snapshot()))
            .concatMapCompletable(
                scanned ->
                    appendAll(scanned.scan())
                        // deferred: the scan's last seq is known once its entries are appended
                        .andThen(Completable.defer(() -> served(scanned))))
            .subscribe(() -> {}, this::failed));
    return this;
  }

  private Completable appendAll(DirectoryScan scan) {
    return Flowable.fromIterable(scan.events())
        .concatMapCompletable(
            (LogEvent event) -> Completable.fromCompletionStage(log.append(event)));
  }

  /**
   * Serves the filter configs and Secret values of a scan once the fold has taken its last entry.
   * One file saved is one scan: its objects are folded one entry at a time (the route, then its
   * backend, then their policy and Secret), and an ExtProc that took the states between would send
   * requests to a backend without its credential, or find none. The next scan waits, so that what
   * is served is the state at this scan's end.
   */
  private Completable served(ScanAndSecrets scanned) {
    long seq = log.latestSeq();
    Future<Void> served =
        host.ready()
            .compose(v -> host.announced(seq))
            // on a worker: the filter configs may be derived on this first read of the state
            .compose(
                v ->
                    vertx.executeBlocking(
                        () -> {
                          // new values first and gone ones last: a route deleted with its Secret
                          // keeps its key until it is no longer served
                          GatewayState state = host.current();
                          servedSecrets.putAll(scanned.secrets());
                          serveConfigs(state);
                          servedSecrets.retainAll(scanned.secrets());
                          if (scanned.scan().initial()) {
                            sayReady(scanned.scan(), state);
                          } else {
                            sayStatusNews(state);
                          }
                          reported = state;
                          return null;
                        },
                        false));
    return Completable.fromCompletionStage(served.toCompletionStage());
  }

  /** A scan and the Secret values as it left them. */
  private record ScanAndSecrets(DirectoryScan scan, SecretValues secrets) {}

  /**
   * Says, once the first scan is served, that aigw run is ready, and which objects the scan left
   * not accepted, at most a screen: its entries settle among themselves (a route before its
   * backend), so only the end says what is wrong.
   */
  private void sayReady(DirectoryScan scan, GatewayState state) {
    long seq = state.seq();
    LOG.atInfo()
        .addKeyValue("seq", seq)
        .log(
            "ready: {} files, {} objects, {} desired resources, ExtProc on port {}",
            scan.files(),
            scan.objects(),
            state.desired().size(),
            extProc.port());
    List<ResourceStatus> refused = StatusNews.notAccepted(state);
    refused.stream()
        .limit(MAX_LISTED)
        .forEach(status -> LOG.atWarn().addKeyValue("seq", seq).log(StatusNews.describe(status)));
    if (refused.size() > MAX_LISTED) {
      LOG.atWarn()
          .addKeyValue("seq", seq)
          .log(
              "and {} more objects are NotAccepted (GET /api/state?section=statuses lists them all)",
              refused.size() - MAX_LISTED);
    }
    ready.tryComplete();
  }

  private void report(Change<GatewayState> change) {
    if (change.failure().isPresent()) {
      LOG.atWarn()
          .addKeyValue("seq", change.seq())
          .log("{} could not be folded: {}", change.describeEntry(), change.failure().get());
      return;
    }
    DesiredDiff diff = DesiredDiff.between(change.before(), change.after());
    // the line format is a contract (README): seq 42 UPSERT AIGatewayRoute default/chat → 6 …;
    // a file that cannot be read is a warning, as a status not accepted is: its objects are not
    // applied until it is mended
    LOG.atLevel(change.entry().event() instanceof SourceError ? Level.WARN : Level.INFO)
        .log("{} → {} resources changed", change.describeEntry(), diff.total());
  }

  /**
   * Says what the scan folded up to {@code state} changed in the statuses, once the scan is whole:
   * its entries settle among themselves (a route folded before its backend is not accepted for a
   * moment), and a warning per entry cried wolf.
   */
  private void sayStatusNews(GatewayState state) {
    for (StatusNews news : StatusNews.between(reported, state)) {
      if (news.accepted()) {
        LOG.atInfo().addKeyValue("seq", state.seq()).log(news.describe());
      } else {
        LOG.atWarn().addKeyValue("seq", state.seq()).log(news.describe());
      }
    }
  }

  private void failed(Throwable error) {
    // closed while starting: the waits end with the host, which is no failure to report
    if (!closing) {
      LOG.atError().setCause(error).log("aigw run stopped following the directory: {}", error);
      stopped.tryFail(error);
    }
    ready.tryFail(error);
  }

  /**
   * Fails when the gateway stops following the directory (a log that refuses appends, a directory
   * that cannot be read at the start); never succeeds. {@code aigw run} then exits rather than
   * serve a state that no longer follows the files.
   */
  public Future<Void> stopped() {
    return stopped.future();
  }

  public Future<Void> ready() {
    return ready.future();
  }

  public ProjectionHost<GatewayState> host() {
    return host;
  }

  public EventLog log() {
    return log;
  }

  /** How many states the ExtProc has taken: one per scan that changed the log. */
  public synchronized long servings() {
    return servings;
  }

  /** Secret values read from the directory, for the ExtProc; never logged. */
  public SecretValues secretValues() {
    return servedSecrets;
  }

  /** The admin API server. */
  public AdminServer admin() {
    return admin;
  }

  /** The ExtProc serving the directory's routes. */
  public ExtProcServer extProc() {
    return extProc;
  }

  /** The ExtProc's Prometheus registry (mounted at the admin port's /metrics). */
  public ExtProcMetrics metrics() {
    return metrics;
  }

  public Future<Void> close() {
    closing = true;
    subscriptions.dispose();
    Future<Void> adminClosed = admin == null ? Future.succeededFuture() : admin.close();
    Future<Void> extProcClosed =
        adminClosed.compose(v -> extProc == null ? Future.succeededFuture() : extProc.close());
    Future<Void> hostClosed =
        extProcClosed.compose(v -> host == null ? Future.succeededFuture() : host.close());
    return hostClosed.compose(
        v ->
            vertx.executeBlocking(
                () -> {
                  if (publisher != null) {
                    publisher.close();
                  }
                  if (log != null) {
                    log.close();
                  }
                  return null;
                }));
  }
}
