package io.aigw.admin.api;

import io.aigw.admin.history.LogIndex;
import io.aigw.core.log.EventLog;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.HostStatus;
import io.aigw.projections.runtime.ProjectionHost;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} (the server answers), {@code GET /readyz} (the projection has replayed the
 * log and the admin index has caught up with what the log held at start) and {@code GET /metrics}
 * (the process's Prometheus text from the supplied scrape, then the admin server's own).
 */
public final class HealthHandler {

  private final EventLog log;
  private final LogIndex index;
  private final ProjectionHost<GatewayState> host;
  private final BooleanSupplier indexReady;
  private final Supplier<String> scrape;

  public HealthHandler(
      EventLog log,
      LogIndex index,
      ProjectionHost<GatewayState> host,
      BooleanSupplier indexReady,
      Supplier<String> scrape) {
    this.log = log;
    this.index = index;
    this.host = host;
    this.indexReady = indexReady;
    this.scrape = scrape;
  }

  public void healthz(RoutingContext ctx) {
    Responses.json(ctx, Map.of("status", "ok"));
  }

  public void readyz(RoutingContext ctx) {
    HostStatus status = host.status();
    boolean ready = status.ready() && indexReady.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "ready" : "not ready");
    body.put("latestSeq", log.latestSeq());
    body.put("projectionSeq", status.seq());
    body.put("projectionReady", status.ready());
    body.put("indexSeq", index.latestSeq());
    body.put("indexReady", indexReady.getAsBoolean());
    body.put("foldFailures", status.failures());
    // ready all the same: the log serves from its last good entry, but history was lost
    log.repairedAtOpen().ifPresent(repair -> body.put("logRepairedAtOpen", repair));
    Responses.json(ctx, ready ? 200 : 503, body);
  }

  public void metrics(RoutingContext ctx, String own) {
    String supplied;
    try {
      supplied = scrape.get();
    } catch (RuntimeException e) {
      supplied =
          "# the process metrics could not be scraped: " + e.getClass().getSimpleName() + "\n";
    }
    String text = supplied == null ? "" : supplied;
    if (!text.isEmpty() && !text.endsWith("\n")) {
      text += "\n";
    }
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(text + own + repairMetric());
  }

  /** 1 when opening the log cut off a damaged tail: an alert to set, since history was lost. */
  private String repairMetric() {
    return "# HELP aigw_log_repaired_at_open 1 when the log's tail was cut back at start.\n"
        + "# TYPE aigw_log_repaired_at_open gauge\n"
        + "aigw_log_repaired_at_open "
        + (log.repairedAtOpen().isPresent() ? 1 : 0)
        + "\n";
  }
}
