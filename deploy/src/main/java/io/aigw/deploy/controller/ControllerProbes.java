package io.aigw.deploy.controller;

import io.aigw.deploy.apply.ApplierStatus;
import io.aigw.watchers.informer.WatcherCounts;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the controller says about itself on the admin port: {@code GET /healthz} (200 unless the
 * controller has failed for good), {@code GET /readyz} (200 once the informers have synced and the
 * log is folded, not merely once the log has been replayed; with a Kafka log, where only the leader
 * runs informers, once the topic is folded; 503 again once the controller failed), {@code GET
 * /status} (leadership, positions and the applier's counters) and its part of {@code /metrics}.
 */
final class ControllerProbes {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerProbes.class);

  private final KubernetesController controller;
  private final AtomicBoolean reported = new AtomicBoolean();

  ControllerProbes(KubernetesController controller) {
    this.controller = controller;
  }

  /** Answers {@code request} if it is one of the probes; false leaves it to the caller. */
  boolean handle(HttpServerRequest request) {
    if (!"GET".equals(request.method().name()) && !"HEAD".equals(request.method().name())) {
      return false;
    }
    switch (request.path()) {
      case "/healthz" -> healthz(request);
      case "/readyz" -> readyz(request);
      case "/status" -> send(request, 200, status());
      default -> {
        return false;
      }
    }
    return true;
  }

  private void healthz(HttpServerRequest request) {
    Optional<Throwable> failure = controller.failure();
    // once: the probe asks every few seconds, and the controller logged the stack when it failed
    if (failure.isPresent() && reported.compareAndSet(false, true)) {
      LOG.atWarn().log("/healthz answers 503, reason: {}", failure.get().toString());
    }
    send(request, failure.isEmpty() ? 200 : 503, health(failure));
  }

  /**
   * The body of {@code /healthz}. The probe is unauthenticated, and a failure's message may name
   * URLs or repeat what a server said, so only the kind of failure is told; the log has the rest.
   */
  static JsonObject health(Optional<Throwable> failure) {
    JsonObject body = new JsonObject().put("status", failure.isEmpty() ? "ok" : "failed");
    failure.ifPresent(
        error -> {
          String kind = error.getClass().getSimpleName();
          body.put("reason", kind.isEmpty() ? "failure" : kind);
        });
    return body;
  }

  private void readyz(HttpServerRequest request) {
    boolean ready = controller.isReady();
    send(request, ready ? 200 : 503, status().put("status", ready ? "ready" : "not ready"));
  }

  JsonObject status() {
    JsonObject body = new JsonObject();
    body.put("leader", controller.isLeader());
    controller
        .election()
        .flatMap(election -> election.leader())
        .ifPresent(holder -> body.put("leaseHolder", holder));
    body.put("latestSeq", controller.log() == null ? 0 : controller.log().latestSeq());
    body.put("projectionSeq", controller.host() == null ? 0 : controller.host().currentSeq());
    body.put("rotating", controller.rotating());
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

  /** The controller's gauges and counters in the Prometheus text format. */
  String metrics() {
    StringBuilder text = new StringBuilder();
    gauge(
        text,
        "aigw_controller_ready",
        "1 once informers synced and the log is folded, 0 again once the controller failed",
        controller.isReady() ? 1 : 0);
    gauge(
        text,
        "aigw_controller_leader",
        "1 while this replica holds the Lease",
        controller.isLeader() ? 1 : 0);
    gauge(
        text,
        "aigw_controller_log_latest_seq",
        "seq of the last log entry",
        controller.log() == null ? 0 : controller.log().latestSeq());
    gauge(
        text,
        "aigw_controller_projection_seq",
        "seq the gateway projection has folded",
        controller.host() == null ? 0 : controller.host().currentSeq());
    if (controller.watcher() != null) {
      WatcherCounts counts = controller.watcher().counts();
      counter(
          text, "aigw_controller_watch_admitted_total", "watch events appended", counts.admitted());
      counter(
          text,
          "aigw_controller_watch_repeated_total",
          "watch events with no change",
          counts.repeated());
    }
    controller
        .applierStatus()
        .ifPresent(
            s -> {
              text.append("# HELP aigw_controller_apply_outcomes_total apply outcomes\n")
                  .append("# TYPE aigw_controller_apply_outcomes_total counter\n");
              outcome(text, "created", s.created());
              outcome(text, "patched", s.patched());
              outcome(text, "deleted", s.deleted());
              outcome(text, "noop", s.noop());
              outcome(text, "failed", s.failed());
              counter(
                  text, "aigw_controller_apply_retries_total", "retried API calls", s.retries());
              gauge(text, "aigw_controller_apply_queued", "keys waiting to be applied", s.queued());
            });
    return text.toString();
  }

  private static void gauge(StringBuilder text, String name, String help, long value) {
    sample(text, name, help, "gauge", value);
  }

  private static void counter(StringBuilder text, String name, String help, long value) {
    sample(text, name, help, "counter", value);
  }

  private static void sample(
      StringBuilder text, String name, String help, String type, long value) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    text.append(name).append(' ').append(value).append('\n');
  }

  private static void outcome(StringBuilder text, String outcome, long value) {
    text.append("aigw_controller_apply_outcomes_total{outcome=\"")
        .append(outcome)
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  private static JsonObject applier(ApplierStatus status) {
    return new JsonObject()
        .put("swept", status.swept())
        .put("serverSideApply", status.serverSideApply())
        .put("seenSeq", status.seenSeq())
        .put("queued", status.queued())
        .put("inFlight", status.inFlight())
        .put("waiting", status.waiting())
        .put("recording", status.recording())
        .put("failing", status.failing())
        .put("created", status.created())
        .put("patched", status.patched())
        .put("deleted", status.deleted())
        .put("noop", status.noop())
        .put("failed", status.failed())
        .put("retries", status.retries());
  }

  private static void send(HttpServerRequest request, int code, JsonObject body) {
    request
        .response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
