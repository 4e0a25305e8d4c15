package io.aigw.projections.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.codec.LogEntryMessageCodec;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.LogPublisher;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.runtime.HostOptions;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.snapshot.FoldPosition;
import io.aigw.projections.snapshot.Snapshot;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.aigw.projections.snapshot.TolerantFold;
import io.aigw.projections.world.WorldProjection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The laws every projection obeys, checked over {@link LogEvents} sequences. A projection's test
 * extends this with its projection, a rendering of its state (the text the user would see: YAML,
 * JSON) and, when its state records the seq it is at, the content apart from that seq.
 *
 * <ul>
 *   <li>folding is deterministic, also over entries decoded afresh from their stored bytes;
 *   <li>the state at any k plus the fold of the tail equals the full fold, and folding on never
 *       changes a state already handed out (so snapshots are safe to keep);
 *   <li>an UPSERT then a DELETE of a fresh object leave the state as it was;
 *   <li>the live state a host reaches by following the log, with a bus that drops and repeats
 *       messages, equals the fold from zero, and so does its {@code stateAt} at every seq.
 * </ul>
 */
public abstract class ProjectionContract<S> {

  private static Vertx vertx;

  /** The projection under test. */
  protected abstract Projection<S> projection();

  /** The state as the user sees it; two equal states must render byte for byte the same. */
  protected abstract String render(S state);

  /** The state apart from the seq it was reached at; the state itself by default. */
  protected Object content(S state) {
    return state;
  }

  /**
   * Reports what a generated sequence led to (jqwik statistics), to show the generator reaches the
   * interesting states; nothing by default.
   */
  protected void classify(S state) {}

  @Provide
  Arbitrary<List<LogEntry>> entries() {
    return LogEvents.entries();
  }

  @Provide
  Arbitrary<ObjectNode> objects() {
    return LogEvents.objects();
  }

  /** What the bus does with each message: 0 drops it, 1 delivers it, 2 delivers it twice. */
  @Provide
  Arbitrary<List<Integer>> deliveries() {
    return Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(6, 1), Tuple.of(1, 2))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  private S fold(List<LogEntry> entries) {
    TolerantFold<S> fold = new TolerantFold<>(projection());
    return fold.applyAll(fold.initial(), entries);
  }

  @Property(tries = 200)
  void foldingIsDeterministic(@ForAll("entries") List<LogEntry> entries) {
    List<LogEntry> decoded =
        entries.stream().map(entry -> LogEntryCodec.decode(LogEntryCodec.encode(entry))).toList();
    S first = fold(entries);
    S second = fold(decoded);
    classify(first);
    assertThat(second).isEqualTo(first);
    assertThat(render(second)).isEqualTo(render(first));
  }

  @Property(tries = 200)
  void aStateAtAnySeqPlusTheTailEqualsTheFullFold(@ForAll("entries") List<LogEntry> entries) {
    TolerantFold<S> fold = new TolerantFold<>(projection());
    List<S> states = new ArrayList<>();
    List<String> rendered = new ArrayList<>();
    S state = fold.initial();
    states.add(state);
    rendered.add(render(state));
    for (LogEntry entry : entries) {
      state = fold.apply(state, entry);
      states.add(state);
      rendered.add(render(state));
    }
    for (int k = 0; k <= entries.size(); k++) {
      S resumed = fold.applyAll(states.get(k), entries.subList(k, entries.size()));
      assertThat(resumed).as("state at %d plus the tail", k).isEqualTo(state);
      assertThat(render(states.get(k)))
          .as("state at %d after folding on", k)
          .isEqualTo(rendered.get(k));
    }
  }

  @Property(tries = 100)
  void theNearestSnapshotPlusTheTailIsTheStateAtEverySeq(
      @ForAll("entries") List<LogEntry> entries,
      @ForAll @IntRange(min = 1, max = 6) int interval,
      @ForAll @IntRange(min = 1, max = 4) int maxRetained) {
    TolerantFold<S> fold = new TolerantFold<>(projection());
    FoldPosition<S> position =
        FoldPosition.initial(fold.initial(), new SnapshotPolicy(interval, maxRetained, 1));
    List<S> states = new ArrayList<>(List.of(fold.initial()));
    for (LogEntry entry : entries) {
      position = position.advance(entry, fold.apply(position.state(), entry));
      states.add(position.state());
    }
    for (int seq = 0; seq <= entries.size(); seq++) {
      Snapshot<S> base = position.baseFor(seq, fold.initial());
      S atSeq = fold.applyAll(base.state(), entries.subList((int) base.seq(), seq));
      assertThat(atSeq)
          .as("state at %d from snapshot %d", seq, base.seq())
          .isEqualTo(states.get(seq));
    }
  }

  @Property(tries = 200)
  void anUpsertThenADeleteOfAFreshObjectLeavesTheStateAsItWas(
      @ForAll("entries") List<LogEntry> prefix, @ForAll("objects") ObjectNode object) {
    ObjectNode fresh = freshIn(prefix, object);
    List<LogEvent> events = new ArrayList<>(prefix.stream().map(LogEntry::event).toList());
    events.add(GatewayObjects.upsert(fresh));
    events.add(GatewayObjects.delete(fresh));
    S before = fold(prefix);
    S after = fold(LogEvents.numbered(events));
    assertThat(content(after)).isEqualTo(content(before));
  }

  /** {@code object}, renamed when an object with its key exists after {@code prefix}. */
  private static ObjectNode freshIn(List<LogEntry> prefix, ObjectNode object) {
    WorldProjection world = new WorldProjection();
    var present = world.applyAll(world.initial(), prefix);
    WatchEvent event = GatewayObjects.upsert(object);
    if (present.get(event.key()).isEmpty()) {
      return object;
    }
    ObjectNode renamed = object.deepCopy();
    ((ObjectNode) renamed.get("metadata")).put("name", event.name() + "-fresh");
    return renamed;
  }

  @Property(tries = 40)
  void theLiveStateOfAHostEqualsTheFoldFromZero(
      @ForAll("entries") List<LogEntry> entries,
      @ForAll @IntRange(min = 0, max = 100) int replayedPercent,
      @ForAll("deliveries") List<Integer> deliveries)
      throws Exception {
    int replayed = entries.size() * replayedPercent / 100;
    InMemoryEventLog log =
        new InMemoryEventLog(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
    entries.subList(0, replayed).forEach(entry -> log.append(entry.event()).join());
    ProjectionHost<S> host =
        new ProjectionHost<>(
            log,
            projection(),
            HostOptions.named("contract")
                .withSnapshots(new SnapshotPolicy(3, 4, 1))
                .withReadBatch(5));
    List<Long> changed = new CopyOnWriteArrayList<>();
    host.changes().subscribe(change -> changed.add(change.seq()), error -> changed.add(-1L));
    join(host.start(vertx()));
    publishWithFaults(log, entries.size(), deliveries);
    entries.subList(replayed, entries.size()).forEach(entry -> log.append(entry.event()).join());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.announcedSeq() == entries.size());

    S expected = fold(entries);
    assertThat(host.current()).isEqualTo(expected);
    assertThat(render(host.current())).isEqualTo(render(expected));
    assertThat(changed).containsExactlyElementsOf(seqs(replayed + 1, entries.size()));
    for (int seq = 0; seq <= entries.size(); seq++) {
      assertThat(join(host.stateAt(seq)))
          .as("stateAt(%d)", seq)
          .isEqualTo(fold(entries.subList(0, seq)));
    }
    join(host.close());
    log.close();
  }

  /** Publishes committed entries as the log's publisher would, but drops and repeats some. */
  private static void publishWithFaults(InMemoryEventLog log, int last, List<Integer> deliveries) {
    LogEntryMessageCodec.registerOn(vertx().eventBus());
    log.onCommit(
        entry -> {
          int delivery = deliveries.get((int) (entry.seq() % deliveries.size()));
          int times = entry.seq() == last ? Math.max(1, delivery) : delivery;
          for (int i = 0; i < times; i++) {
            vertx().eventBus().publish(LogPublisher.ADDRESS, entry, LogPublisher.deliveryOf(log));
          }
        });
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      seqs.add(seq);
    }
    return seqs;
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  @AfterContainer
  static synchronized void closeVertx() throws Exception {
    if (vertx != null) {
      join(vertx.close());
      vertx = null;
    }
  }
}
