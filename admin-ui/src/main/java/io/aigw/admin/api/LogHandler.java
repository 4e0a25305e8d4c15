package io.aigw.admin.api;

import io.aigw.admin.history.LogFilter;
import io.aigw.admin.history.LogIndex;
import io.aigw.admin.history.StateCache;
import io.aigw.admin.view.DesiredComparison;
import io.aigw.admin.view.EntryDetail;
import io.aigw.admin.view.EntrySummary;
import io.aigw.admin.view.EntryViews;
import io.aigw.admin.view.JsonDiff;
import io.aigw.core.codec.YamlText;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.EventLog;
import io.aigw.projections.gateway.GatewayState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/log} (a page of the timeline, filtered through the index, so a page costs the
 * entries it shows and never a scan of the log) and {@code GET /api/log/{seq}} (one entry, its diff
 * against the previous version of the same object, and what it did to the gateway).
 */
public final class LogHandler {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int EFFECT_ITEMS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(LogHandler.class);

  private final Vertx vertx;
  private final LogIndex index;
  private final EntryReader reader;
  private final StateCache<GatewayState> states;

  public LogHandler(Vertx vertx, EventLog log, LogIndex index, StateCache<GatewayState> states) {
    this.vertx = vertx;
    this.index = index;
    this.reader = new EntryReader(log, index);
    this.states = states;
  }

  /** The page of the timeline: entries, the next cursor, the latest seq. */
  public record LogPage(List<EntrySummary> entries, Long next, long latestSeq) {}

  public void list(RoutingContext ctx) {
    boolean descending =
        ApiParams.oneOf(ctx, "order", List.of("asc", "desc")).map("desc"::equals).orElse(false);
    Optional<Long> from = ApiParams.seq(ctx, "from");
    Optional<Instant> before = ApiParams.instant(ctx, "before");
    if (before.isPresent() && (from.isPresent() || !descending)) {
      throw ApiException.badRequest("before goes with order=desc and without from");
    }
    int limit = ApiParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    LogFilter filter = filter(ctx);
    vertx
        .executeBlocking(
            () -> {
              // "what happened up to 14:02": the page ends at the last entry recorded by then
              long start =
                  before.isPresent()
                      ? reader.lastSeqAtOrBefore(before.get(), index.latestSeq())
                      : from.orElse(descending ? Long.MAX_VALUE : 1L);
              if (start == 0) {
                return new LogPage(List.of(), null, index.latestSeq());
              }
              LogIndex.SeqPage page = index.find(filter, start, descending, limit);
              List<EntrySummary> entries = reader.summaries(reader.read(page.seqs()));
              Long next = page.next().isPresent() ? page.next().getAsLong() : null;
              return new LogPage(entries, next, page.latestSeq());
            },
            false)
        .onComplete(result -> respond(ctx, result));
  }

  static LogFilter filter(RoutingContext ctx) {
    return new LogFilter(
        ApiParams.filter(ctx, "kind"),
        ApiParams.filter(ctx, "namespace"),
        ApiParams.filter(ctx, "name"));
  }

  public void entry(RoutingContext ctx) {
    long seq = ApiParams.parseSeq("seq", ctx.pathParam("seq"));
    if (seq < 1 || seq > index.latestSeq()) {
      throw ApiException.notFound(
          "no entry with seq " + seq + " (latest " + index.latestSeq() + ")");
    }
    vertx
        .executeBlocking(() -> detailWithoutEffect(seq), false)
        .compose(detail -> withEffect(seq, detail))
        .onComplete(result -> respond(ctx, result));
  }

  private EntryDetail detailWithoutEffect(long seq) {
    LogEntry entry =
        reader.read(seq).orElseThrow(() -> ApiException.notFound("no entry with seq " + seq));
    EntrySummary summary = reader.summary(entry);
    if (entry.event() instanceof SourceError error) {
      return EntryDetail.error(
          summary, new EntryDetail.ErrorView(error.file(), error.line(), error.reason()));
    }
    if (entry.event() instanceof ApplyOutcome outcome) {
      return EntryDetail.applied(
          summary,
          new EntryDetail.AppliedView(
              outcome.outcome().name(),
              outcome.subresource(),
              outcome.reason(),
              outcome.desiredSeq()));
    }
    if (entry.event() instanceof RotationOutcome rotation) {
      return EntryDetail.rotation(
          summary,
          new EntryDetail.RotationView(
              rotation.failed() ? "FAILED" : "ROTATED",
              rotation.failure(),
              rotation.uid(),
              rotation.generation()));
    }
    WatchEvent event = (WatchEvent) entry.event();
    var object = EntryViews.object(entry).orElseThrow();
    OptionalLong previousSeq = index.previousVersion(seq);
    OptionalLong nextSeq = index.nextVersion(seq);
    var previousObject =
        previousSeq.isPresent()
            ? reader.read(previousSeq.getAsLong()).flatMap(EntryViews::object).orElse(null)
            : null;
    boolean deleted = summary.type().equals("DELETE");
    var changes =
        deleted
            ? JsonDiff.between(previousObject == null ? object : previousObject, null)
            : JsonDiff.between(previousObject, object);
    return new EntryDetail(
        summary,
        new EntryDetail.EventMeta(
            event.apiVersion(),
            event.uid(),
            event.resourceVersion(),
            event.generation(),
            event.type().name()),
        null,
        null,
        null,
        object,
        YamlText.write(object),
        previousSeq.isPresent() ? previousSeq.getAsLong() : null,
        nextSeq.isPresent() ? nextSeq.getAsLong() : null,
        previousObject,
        previousObject == null ? null : YamlText.write(previousObject),
        changes,
        null);
  }

  /** Adds what the entry did to the desired resources and statuses; left out if that fails. */
  private Future<EntryDetail> withEffect(long seq, EntryDetail detail) {
    return states
        .stateAt(seq - 1)
        .compose(
            before ->
                states
                    .stateAt(seq)
                    // comparing reads both states' outputs, which may derive them: not on the loop
                    .compose(after -> vertx.executeBlocking(() -> effect(before, after), false)))
        .map(detail::withEffect)
        .recover(
            error -> {
              LOG.atWarn().addKeyValue("seq", seq).setCause(error).log("no effect for the entry");
              return Future.succeededFuture(detail);
            });
  }

  private static EntryDetail.Effect effect(GatewayState before, GatewayState after) {
    DesiredComparison comparison = DesiredComparison.between(before, after);
    var statuses = comparison.statuses();
    return new EntryDetail.Effect(
        comparison.counts(),
        comparison.page(Optional.empty(), EFFECT_ITEMS, false).changes(),
        statuses.size() > EFFECT_ITEMS ? statuses.subList(0, EFFECT_ITEMS) : statuses);
  }

  static <T> void respond(RoutingContext ctx, io.vertx.core.AsyncResult<T> result) {
    if (result.succeeded()) {
      Responses.json(ctx, result.result());
    } else {
      ctx.fail(result.cause());
    }
  }
}
