package io.aigw.admin.api;

import io.aigw.admin.view.ReplayReport;
import io.aigw.admin.view.StateComparison;
import io.aigw.core.log.EventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.LogReplay;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/replay}: rebuilds the gateway projection from seq 1 in a shadow instance that
 * nothing else sees, up to {@code to} (default the latest), and checks that it equals the live
 * state at the same seq: the invariant that makes the log the source of truth, checked on the real
 * log. One replay at a time (a second gets 409).
 */
public final class ReplayHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayHandler.class);

  private final Vertx vertx;
  private final EventLog log;
  private final Projection<GatewayState> projection;
  private final StateHandler states;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * A full replay of a large log takes minutes by design: on a pool of its own, allowed that long,
   * it neither holds a shared worker nor trips the blocked-thread warnings.
   */
  private final WorkerExecutor replays;

  public ReplayHandler(
      Vertx vertx, EventLog log, Projection<GatewayState> projection, StateHandler states) {
    this.vertx = vertx;
    this.log = log;
    this.projection = projection;
    this.states = states;
    this.replays = vertx.createSharedWorkerExecutor("aigw-replay", 1, 2, TimeUnit.HOURS);
  }

  public void replay(RoutingContext ctx) {
    JsonObject body = RequestBodies.json(ctx, Set.of("to"));
    Long bodyTo = RequestBodies.seq(body, "to");
    long to = bodyTo != null ? bodyTo : ApiParams.seq(ctx, "to").orElse(log.latestSeq());
    if (to > log.latestSeq()) {
      throw ApiException.notFound("no seq " + to + " in the log (latest " + log.latestSeq() + ")");
    }
    if (!running.compareAndSet(false, true)) {
      throw new ApiException(409, "a replay is already running");
    }
    LOG.atInfo().addKeyValue("toSeq", to).log("shadow replay requested");
    states
        .stateAt(to)
        .compose(live -> replays.executeBlocking(() -> replay(to, live), false))
        .onComplete(
            result -> {
              running.set(false);
              LogHandler.respond(ctx, result);
            });
  }

  private ReplayReport replay(long to, GatewayState live) {
    long start = System.nanoTime();
    // the gateway fold can decode and check entries on the reading thread, ahead of the fold
    GatewayState shadow =
        projection instanceof GatewayProjection gateway
            ? LogReplay.foldTo(log, projection, to, gateway::prepare)
            : LogReplay.foldTo(log, projection, to);
    long nanos = Math.max(1, System.nanoTime() - start);
    List<ReplayReport.Difference> differences = StateComparison.between(live, shadow);
    long millis = nanos / 1_000_000;
    LOG.atInfo()
        .addKeyValue("toSeq", to)
        .addKeyValue("millis", millis)
        .addKeyValue("differences", differences.size())
        .log("shadow replay finished");
    return new ReplayReport(
        to,
        to,
        millis,
        (long) (to * 1e9 / nanos),
        differences.isEmpty(),
        differences.size(),
        differences.size() > ReplayReport.MAX_LISTED
            ? differences.subList(0, ReplayReport.MAX_LISTED)
            : differences);
  }

  /** Whether a replay is running (for tests and metrics). */
  public boolean running() {
    return running.get();
  }
}
