package io.aigw.admin.server;

import io.aigw.admin.api.DiffHandler;
import io.aigw.admin.api.HealthHandler;
import io.aigw.admin.api.HistoryHandler;
import io.aigw.admin.api.LogHandler;
import io.aigw.admin.api.ProvenanceHandler;
import io.aigw.admin.api.ReplayHandler;
import io.aigw.admin.api.Responses;
import io.aigw.admin.api.RestoreHandler;
import io.aigw.admin.api.StateHandler;
import io.aigw.admin.api.StreamHandler;
import io.aigw.admin.history.LogIndex;
import io.aigw.admin.history.StateCache;
import io.aigw.admin.tls.TlsReloader;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.LogTail;
import io.aigw.projections.gateway.GatewayState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;

/**
 * The admin HTTP API and the dashboard, on one port. Start it with {@link #start}: it follows the
 * log into its {@link LogIndex} (from seq 1, so the timeline and object histories need no scan of
 * the log later), serves the JSON API under {@code /api} behind bearer tokens, the probes and
 * {@code /metrics} without, and the dashboard's static files from the jar.
 */
public final class AdminServer {

  /**
   * States kept for time travel and diffs, which ask for the last few again (a step, the other side
   * of a diff). Few: each keeps what its tail changed, and with a large log the copying of cached
   * states is what makes the collector's young pauses long.
   */
  static final int STATE_CACHE = 8;

  static final long BODY_LIMIT = 16 * 1024;

  private final Vertx vertx;
  private final LogIndex index = new LogIndex();
  private final long latestAtStart;
  private HttpServer server;
  private LogTail tail;
  private TlsReloader tls;

  private AdminServer(Vertx vertx, EventLog log) {
    this.vertx = vertx;
    this.latestAtStart = log.latestSeq();
  }

  /**
   * Starts following the log and listening. Completes once the server listens (the index may still
   * be catching up: {@code /readyz} says when it has). Prints generated tokens, if any, once to
   * standard output.
   */
  public static Future<AdminServer> start(Vertx vertx, AdminOptions options, AdminSources sources) {
    AdminServer server = new AdminServer(vertx, sources.log());
    // once it listens: tokens printed by a start that then fails would be tokens of nothing
    return server
        .listen(options, sources)
        .onSuccess(listening -> options.tokens().announcement().ifPresent(System.out::print))
        .onFailure(error -> server.close());
  }

  private Future<AdminServer> listen(AdminOptions options, AdminSources sources) {
    EventLog log = sources.log();
    StreamHandler stream = new StreamHandler(vertx, log, index);
    tail =
        LogTail.follow(
            vertx,
            log,
            0,
            entry -> {
              index.add(entry);
              stream.entriesAdded();
            });
    Router router = router(options, sources, stream);
    HttpServerOptions http =
        new HttpServerOptions().setHost(options.host()).setPort(options.port());
    // the launcher says where it listens: in the controller this server is the loopback one
    // behind the admin port, and naming its port would send users to the wrong one
    return TlsReloader.loadIfGiven(vertx, options.tls())
        .compose(
            loaded -> {
              tls = loaded.orElse(null);
              return listen(http, router);
            })
        .map(this);
  }

  private Future<HttpServer> listen(HttpServerOptions http, Router router) {
    // over TLS, HTTP/2 too: a browser opens at most six HTTP/1.1 connections to a host and each
    // dashboard tab's live stream holds one; over HTTP/2 they share one connection
    server =
        vertx
            .createHttpServer(tls == null ? http : tls.serve(http).setUseAlpn(true))
            .invalidRequestHandler(Responses::invalidRequest)
            .requestHandler(router);
    return server
        .listen()
        .onSuccess(
            listening -> {
              if (tls != null) {
                tls.follow(listening);
              }
            });
  }

  private Router router(AdminOptions options, AdminSources sources, StreamHandler stream) {
    EventLog log = sources.log();
    StateCache<GatewayState> cache =
        new StateCache<>(vertx, log, sources.host(), sources.projection(), STATE_CACHE);
    StateHandler state = new StateHandler(vertx, log, sources.host(), cache);
    LogHandler entries = new LogHandler(vertx, log, index, cache);
    HealthHandler health =
        new HealthHandler(log, index, sources.host(), this::indexReady, sources.metrics());
    AdminMetrics metrics = new AdminMetrics(index::latestSeq, stream::clients);

    Router router = Router.router(vertx);
    router.route().handler(AdminServer::securityHeaders);
    router.route().handler(metrics::record);
    router.get("/healthz").handler(health::healthz);
    router.get("/readyz").handler(health::readyz);
    router.get("/metrics").handler(ctx -> health.metrics(ctx, metrics.scrape()));
    router.route("/api/*").handler(new BearerAuthHandler(options.tokens()));
    router.get("/api/whoami").handler(AdminServer::whoami);
    router.get("/api/log").handler(entries::list);
    router.get("/api/log/:seq").handler(entries::entry);
    router.get("/api/state").handler(state::state);
    router.get("/api/diff").handler(new DiffHandler(vertx, state)::diff);
    router
        .get("/api/provenance")
        .handler(new ProvenanceHandler(vertx, log, index, sources.host(), state)::provenance);
    router
        .get("/api/objects/:kind/:namespace/:name/history")
        .handler(new HistoryHandler(vertx, log, index)::history);
    router.get("/api/stream").handler(ctx -> stream.stream(ctx, ctx.get(BearerAuthHandler.HOLDER)));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    router
        .post("/api/replay")
        .handler(body)
        .handler(BearerAuthHandler::requireAdmin)
        .handler(new ReplayHandler(vertx, log, sources.projection(), state)::replay);
    router
        .post("/api/restore")
        .handler(body)
        .handler(BearerAuthHandler::requireAdmin)
        .handler(new RestoreHandler(vertx, log, index, sources.restore())::restore);
    router.route("/api/*").handler(ctx -> noSuchApi(router, ctx));
    router.route("/*").handler(DashboardAssets.load());
    router.route().failureHandler(Responses::failure);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, Responses.errorFor(status));
    }
    return router;
  }

  private static void noSuchApi(Router router, RoutingContext ctx) {
    String path = ctx.request().path();
    var allowed = AllowedMethods.of(router, path);
    if (allowed.isEmpty()) {
      Responses.error(ctx, 404, "no such API: " + path);
      return;
    }
    ctx.response().putHeader("Allow", String.join(", ", allowed));
    Responses.error(
        ctx,
        405,
        ctx.request().method()
            + " "
            + path
            + " is not allowed; use "
            + String.join(" or ", allowed));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self'; frame-ancestors 'none'");
    ctx.next();
  }

  private static void whoami(RoutingContext ctx) {
    Role role = ctx.get(BearerAuthHandler.ROLE);
    Responses.json(ctx, Map.of("role", role.label()));
  }

  private boolean indexReady() {
    return index.latestSeq() >= latestAtStart;
  }

  /** The port the server listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The index of the log (what the timeline and histories are served from). */
  public LogIndex index() {
    return index;
  }

  /** Whether it speaks HTTPS. */
  public boolean https() {
    return tls != null;
  }

  /** Stops listening and following the log. */
  public Future<Void> close() {
    if (tls != null) {
      tls.close();
    }
    Future<Void> unfollowed = tail == null ? Future.succeededFuture() : tail.close();
    return unfollowed.compose(v -> server == null ? Future.succeededFuture() : server.close());
  }
}
