package io.aigw.deploy.controller;

import io.aigw.deploy.apply.ApplierStatus;
import io.aigw.watchers.informer.WatcherCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The controller's probes until the admin server serves them: {@code GET /healthz} (200 unless the
 * controller has failed for good), {@code GET /readyz} (200 once the informers have synced and the
 * log is folded) and {@code GET /status} (leadership, positions and the applier's counters).
 */
public final class HealthServer {

  private final KubernetesController controller;
  private HttpServer server;

  private HealthServer(KubernetesController controller) {
    this.controller = controller;
  }

  /** Listens on {@code port} (0 picks a free one). */
  public static Future<HealthServer> start(Vertx vertx, KubernetesController controller, int port) {
    HealthServer health = new HealthServer(controller);
    Router router = Router.router(vertx);
    router.get("/healthz").handler(health::healthz);
    router.get("/readyz").handler(health::readyz);
    router.get("/status").handler(health::status);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port)
        .map(
            listening -> {
              health.server = listening;
              return health;
            });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void healthz(RoutingContext ctx) {
    boolean healthy = controller.failure().isEmpty();
    JsonObject body = new JsonObject().put("status", healthy ? "ok" : "failed");
    controller.failure().ifPresent(error -> body.put("reason", error.toString()));
    send(ctx, healthy ? 200 : 503, body);
  }

  private void readyz(RoutingContext ctx) {
    boolean ready = controller.ready().succeeded();
    send(ctx, ready ? 200 : 503, status().put("status", ready ? "ready" : "not ready"));
  }

  private void status(RoutingContext ctx) {
    send(ctx, 200, status());
  }

  private JsonObject status() {
    JsonObject body = new JsonObject();
    body.put("leader", controller.isLeader());
    controller
        .election()
        .flatMap(election -> election.leader())
        .ifPresent(holder -> body.put("leaseHolder", holder));
    body.put("latestSeq", controller.log() == null ? 0 : controller.log().latestSeq());
    body.put("projectionSeq", controller.host() == null ? 0 : controller.host().currentSeq());
    if (controller.watcher() != null) {
      WatcherCounts counts = controller.watcher().counts();
      body.put("informersSynced", controller.watcher().isSynced());
      body.put(
          "watch",
          new JsonObject()
              .put("admitted", counts.admitted())
              .put("repeated", counts.repeated())
              .put("unreadable", counts.unreadable()));
    }
    controller.applierStatus().ifPresent(applier -> body.put("applier", applier(applier)));
    return body;
  }

  private static JsonObject applier(ApplierStatus status) {
    return new JsonObject()
        .put("swept", status.swept())
        .put("serverSideApply", status.serverSideApply())
        .put("seenSeq", status.seenSeq())
        .put("queued", status.queued())
        .put("inFlight", status.inFlight())
        .put("waiting", status.waiting())
        .put("failing", status.failing())
        .put("created", status.created())
        .put("patched", status.patched())
        .put("deleted", status.deleted())
        .put("noop", status.noop())
        .put("failed", status.failed())
        .put("retries", status.retries());
  }

  private static void send(RoutingContext ctx, int code, JsonObject body) {
    ctx.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
