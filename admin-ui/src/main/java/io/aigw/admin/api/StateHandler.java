package io.aigw.admin.api;

import io.aigw.admin.history.StateCache;
import io.aigw.admin.view.KeyCursor;
import io.aigw.admin.view.StatePages;
import io.aigw.admin.view.StateView;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.log.EventLog;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/state?at=SEQ}: the world, the desired resources, the filter configs and the
 * statuses after SEQ, each section a page in key order (filters and a cursor narrow it), so even
 * ten thousand routes answer with a bounded page.
 */
public final class StateHandler {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final List<String> SECTIONS = List.of("world", "desired", "filterConfigs", "statuses");

  private final Vertx vertx;
  private final EventLog log;
  private final ProjectionHost<GatewayState> host;
  private final StateCache<GatewayState> states;

  public StateHandler(
      Vertx vertx,
      EventLog log,
      ProjectionHost<GatewayState> host,
      StateCache<GatewayState> states) {
    this.vertx = vertx;
    this.log = log;
    this.host = host;
    this.states = states;
  }

  public void state(RoutingContext ctx) {
    long at = ApiParams.seq(ctx, "at").orElse(host.currentSeq());
    Optional<String> section = ApiParams.oneOf(ctx, "section", SECTIONS);
    Optional<ObjectKey> after = cursor(ctx);
    if (after.isPresent() && section.isEmpty()) {
      throw ApiException.badRequest("after needs a section: a cursor pages one section");
    }
    StatePages.Request request =
        new StatePages.Request(
            LogHandler.filter(ctx),
            after,
            ApiParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT),
            ApiParams.flag(ctx, "objects", true),
            ApiParams.text(ctx, "accepted").map(text -> ApiParams.flag(ctx, "accepted", true)));
    stateAt(at)
        .compose(state -> vertx.executeBlocking(() -> view(state, at, section, request), false))
        .onComplete(result -> LogHandler.respond(ctx, result));
  }

  static Optional<ObjectKey> cursor(RoutingContext ctx) {
    return ApiParams.text(ctx, "after")
        .map(
            text ->
                KeyCursor.decode(text)
                    .orElseThrow(
                        () -> ApiException.badRequest("after is not a cursor of this API")));
  }

  /** See {@link StateCache#foldsPast}. */
  boolean foldsPast(long earlier, long seq) {
    return states.foldsPast(earlier, seq);
  }

  /** The state after {@code seq}; a seq the log does not have is a 404. */
  Future<GatewayState> stateAt(long seq) {
    long latest = Math.max(log.latestSeq(), host.currentSeq());
    if (seq > latest) {
      return Future.failedFuture(
          ApiException.notFound("no seq " + seq + " in the log (latest " + latest + ")"));
    }
    return states
        .stateAt(seq)
        .recover(
            error ->
                Future.failedFuture(
                    error instanceof IllegalArgumentException
                        ? ApiException.notFound(error.getMessage())
                        : error));
  }

  private StateView view(
      GatewayState state, long at, Optional<String> section, StatePages.Request request) {
    boolean all = section.isEmpty();
    String only = section.orElse("");
    boolean statuses = all || only.equals("statuses");
    return new StateView(
        at,
        log.latestSeq(),
        statuses ? StatePages.notAccepted(state.statuses(), request.filter()) : null,
        all || only.equals("world")
            ? StatePages.world(state.world().objects(), worldRequest(request, all))
            : null,
        all || only.equals("desired") ? StatePages.desired(state.desired(), request) : null,
        all || only.equals("filterConfigs")
            ? StatePages.filterConfigs(state.filterConfigs(), request)
            : null,
        statuses ? StatePages.statuses(state.statuses(), request) : null);
  }

  /** The whole state lists source objects by identity; their bodies come with section=world. */
  private static StatePages.Request worldRequest(StatePages.Request request, boolean all) {
    return all
        ? new StatePages.Request(
            request.filter(), request.after(), request.limit(), false, request.accepted())
        : request;
  }
}
