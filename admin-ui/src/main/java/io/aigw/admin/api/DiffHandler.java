package io.aigw.admin.api;

import io.aigw.admin.view.DesiredComparison;
import io.aigw.admin.view.DiffView;
import io.aigw.admin.view.KeyCursor;
import io.aigw.admin.view.ResourceChange;
import io.aigw.admin.view.StatusChange;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.gateway.GatewayState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/diff?from=A&to=B}: the desired resources added, removed and changed between two
 * seqs, a page at a time, each changed one with its per-field diff; and the statuses that changed
 * (the first 200, those that stopped or started being accepted first, and how many there are).
 */
public final class DiffHandler {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_STATUSES = 200;

  private final Vertx vertx;
  private final StateHandler states;

  public DiffHandler(Vertx vertx, StateHandler states) {
    this.vertx = vertx;
    this.states = states;
  }

  public void diff(RoutingContext ctx) {
    long from = ApiParams.seq(ctx, "from").orElseThrow(() -> missing("from"));
    long to = ApiParams.seq(ctx, "to").orElseThrow(() -> missing("to"));
    if (from > to) {
      throw ApiException.badRequest("from (" + from + ") is after to (" + to + ")");
    }
    Optional<ObjectKey> after = StateHandler.cursor(ctx);
    int limit = ApiParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    boolean objects = ApiParams.flag(ctx, "objects", false);
    // with no snapshot between the two, the later is folded on from the earlier (one fold's
    // work); else both at once. Either way the comparison looks only at what may have changed
    Future<GatewayState> first = states.stateAt(from);
    Future<GatewayState> second =
        states.foldsPast(from, to)
            ? first.compose(earlier -> states.stateAt(to))
            : states.stateAt(to);
    Future.all(first, second)
        .compose(
            both -> {
              GatewayState before = first.result();
              GatewayState later = second.result();
              return vertx.executeBlocking(
                  () -> {
                    DesiredComparison comparison = DesiredComparison.between(before, later);
                    DesiredComparison.Page page = comparison.page(after, limit, objects);
                    List<StatusChange> statuses = new ArrayList<>(comparison.statuses());
                    statuses.sort(Comparator.comparingInt(DiffHandler::rank));
                    return new DiffView(
                        from,
                        to,
                        comparison.counts(),
                        page.changes(),
                        next(page),
                        statuses.size() > MAX_STATUSES
                            ? statuses.subList(0, MAX_STATUSES)
                            : statuses,
                        statuses.size());
                  },
                  false);
            })
        .onComplete(result -> LogHandler.respond(ctx, result));
  }

  /**
   * What an operator looks for first among many changed statuses: an object that stopped being
   * accepted, then one accepted again, then the rest (key order within each, the sort is stable).
   */
  static int rank(StatusChange change) {
    boolean wasAccepted = change.before() == null || change.before().accepted();
    boolean isAccepted = change.after() == null || change.after().accepted();
    if (wasAccepted && !isAccepted) {
      return 0;
    }
    return !wasAccepted && isAccepted ? 1 : 2;
  }

  private static String next(DesiredComparison.Page page) {
    if (!page.more() || page.changes().isEmpty()) {
      return null;
    }
    ResourceChange last = page.changes().get(page.changes().size() - 1);
    return KeyCursor.encode(
        new ObjectKey(last.group(), last.kind(), last.namespace(), last.name()));
  }

  private static ApiException missing(String name) {
    return ApiException.badRequest(name + " is required (a seq)");
  }
}
