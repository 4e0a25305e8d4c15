package io.aigw.projections.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.LogPublisher;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.properties.GatewayObjects;
import io.aigw.projections.properties.GatewayObjects.Rule;
import io.aigw.projections.snapshot.Snapshot;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.aigw.projections.world.WorldProjection;
import io.aigw.projections.world.WorldState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectionHostTest {

  private static final SnapshotPolicy EVERY_FIVE = new SnapshotPolicy(5, 100, 1);

  private final WorldProjection world = new WorldProjection();
  private Vertx vertx;
  private InMemoryEventLog log;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    log = new InMemoryEventLog(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
    join(vertx.close());
  }

  static <T> T join(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + future, e);
    }
  }

  private static WatchEvent route(int i) {
    return GatewayObjects.upsert(
        GatewayObjects.route(
            GatewayObjects.AI_GROUP_V1BETA1,
            "default",
            "route-" + (i % 7),
            "gw",
            List.of(new Rule("model-" + i, List.of("openai"))),
            List.of()));
  }

  private List<LogEntry> append(int from, int count) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      entries.add(log.append(route(i)).join());
    }
    return entries;
  }

  private ProjectionHost<WorldState> host(Projection<WorldState> projection) {
    return new ProjectionHost<>(
        log, projection, HostOptions.named("world").withSnapshots(EVERY_FIVE));
  }

  private WorldState foldTo(long seq) {
    return world.applyAll(world.initial(), log.read(1, (int) seq));
  }

  @Test
  void replaysTheLogOnStartAndIsReadyOnceCaughtUp() throws Exception {
    append(0, 23);
    ProjectionHost<WorldState> host = host(world);
    assertThat(host.isReady()).isFalse();
    join(host.start(vertx));
    assertThat(host.isReady()).isTrue();
    assertThat(host.currentSeq()).isEqualTo(23);
    assertThat(host.current()).isEqualTo(foldTo(23));
    assertThat(host.status().snapshotSeqs()).containsExactly(5L, 10L, 15L, 20L);
    join(host.close());
  }

  @Test
  void followsTheEntriesCommittedAfterStartAndReportsEachAsAChange() throws Exception {
    LogPublisher.start(vertx, log);
    append(0, 3);
    ProjectionHost<WorldState> host = host(world);
    List<Change<WorldState>> changes = new CopyOnWriteArrayList<>();
    List<Long> announcedDuringChange = new CopyOnWriteArrayList<>();
    host.changes()
        .subscribe(
            change -> {
              changes.add(change);
              announcedDuringChange.add(host.announcedSeq());
            },
            error -> changes.clear());
    join(host.start(vertx));
    assertThat(host.announcedSeq()).as("replayed entries are announced to nobody").isEqualTo(3);
    append(3, 10);
    log.append(new SourceError("dir:/x", "broken.yaml", 7, "mapping values are not allowed"))
        .join();
    await().atMost(Duration.ofSeconds(10)).until(() -> host.announcedSeq() == 14);
    assertThat(host.currentSeq()).isEqualTo(14);
    assertThat(host.current()).isEqualTo(foldTo(14));
    // a seq counts as announced only once its change was handed to every subscriber
    assertThat(announcedDuringChange)
        .containsExactlyElementsOf(changes.stream().map(c -> c.seq() - 1).toList());
    assertThat(changes)
        .extracting(Change::seq)
        .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
    assertThat(changes.get(0).describeEntry())
        .isEqualTo("seq 4 UPSERT AIGatewayRoute default/route-3");
    assertThat(changes.get(10).describeEntry())
        .isEqualTo("seq 14 SourceError broken.yaml:7 mapping values are not allowed");
    assertThat(changes.get(1).before()).isEqualTo(changes.get(0).after());
    assertThat(changes.get(10).after()).isEqualTo(host.current());
    join(host.close());
  }

  @Test
  void announcedCompletesForASeqReplayedOrStillToComeButNotBeforeEverySubscriberHadItsChange()
      throws Exception {
    LogPublisher.start(vertx, log);
    append(0, 3);
    ProjectionHost<WorldState> host = host(world);
    CountDownLatch inChange = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    host.changes()
        .filter(change -> change.seq() == 5)
        .subscribe(
            change -> {
              inChange.countDown();
              letGo.await();
            },
            error -> {});
    join(host.start(vertx));
    join(host.announced(3));
    Future<Void> five = host.announced(5);
    append(3, 2);
    Future<Void> askedDuring;
    try {
      assertThat(inChange.await(10, TimeUnit.SECONDS)).isTrue();
      // asked for while a subscriber still holds the change: the announcement comes after it
      askedDuring = host.announced(5);
      assertThat(five.isComplete()).isFalse();
      assertThat(askedDuring.isComplete()).isFalse();
    } finally {
      letGo.countDown();
    }
    join(five);
    join(askedDuring);
    Future<Void> never = host.announced(6);
    join(host.close());
    assertThat(never.toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("world closed before seq 6 was announced");
    join(host.announced(5));
    assertThat(host.announced(7).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("world closed before seq 7 was announced");
  }

  @Test
  void stateAtEverySeqEqualsTheFoldOfThatPrefix() throws Exception {
    append(0, 17);
    ProjectionHost<WorldState> host = host(world);
    join(host.start(vertx));
    for (long seq = 0; seq <= 17; seq++) {
      assertThat(join(host.stateAt(seq))).as("state at %d", seq).isEqualTo(foldTo(seq));
    }
    join(host.close());
  }

  @Test
  void stateAtRejectsSeqsOutsideTheLog() throws Exception {
    append(0, 2);
    ProjectionHost<WorldState> host = host(world);
    join(host.start(vertx));
    assertThat(host.stateAt(3).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class)
        .withMessageContaining("no seq 3 in the log (latest 2)");
    assertThat(host.stateAt(-1).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    join(host.close());
  }

  @Test
  void stateAtCompletesOnTheCallersContext() throws Exception {
    append(0, 9);
    ProjectionHost<WorldState> host = host(world);
    join(host.start(vertx));
    var context = vertx.getOrCreateContext();
    Future<Boolean> onContext =
        Future.<Boolean>future(
            promise ->
                context.runOnContext(
                    ignored ->
                        host.stateAt(7)
                            .onComplete(
                                state -> promise.complete(vertx.getOrCreateContext() == context),
                                promise::fail)));
    assertThat(join(onContext)).isTrue();
    join(host.close());
  }

  /** Folds like the world, but cannot fold the SourceError of "poison.yaml". */
  private final class Poisoned implements Projection<WorldState> {
    @Override
    public WorldState initial() {
      return world.initial();
    }

    @Override
    public WorldState apply(WorldState state, LogEntry entry) {
      if (entry.event() instanceof SourceError error && error.file().equals("poison.yaml")) {
        throw new IllegalStateException("cannot fold " + error.file());
      }
      return world.apply(state, entry);
    }
  }

  @Test
  void survivesAndReportsAProjectionThatThrows() throws Exception {
    LogPublisher.start(vertx, log);
    LogEvent poison = new SourceError("dir:/x", "poison.yaml", 1, "r");
    append(0, 2);
    log.append(poison).join();
    ProjectionHost<WorldState> host = host(new Poisoned());
    List<Change<WorldState>> changes = new CopyOnWriteArrayList<>();
    host.changes().subscribe(changes::add, error -> changes.clear());
    join(host.start(vertx));
    assertThat(host.status().failures()).isEqualTo(1);
    log.append(poison).join();
    append(2, 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> host.announcedSeq() == 6);
    assertThat(host.status().failures()).isEqualTo(2);
    assertThat(host.status().lastFailure().orElseThrow().seq()).isEqualTo(4);
    assertThat(host.status().lastFailure().orElseThrow().error())
        .isEqualTo("java.lang.IllegalStateException: cannot fold poison.yaml");
    assertThat(changes.get(0).failure()).isPresent();
    assertThat(changes.get(0).after()).isSameAs(changes.get(0).before());
    assertThat(changes.get(2).failure()).isEmpty();
    assertThat(host.current().objects()).isEqualTo(foldTo(6).objects());
    assertThat(join(host.stateAt(5)).objects()).isEqualTo(foldTo(5).objects());
    join(host.close());
  }

  @Test
  void resumesFromASnapshotAndReplaysOnlyTheEntriesAfterIt() throws Exception {
    append(0, 12);
    WorldState atTen = foldTo(10);
    List<Long> folded = new CopyOnWriteArrayList<>();
    Projection<WorldState> counting = new WorldWatched(entry -> folded.add(entry.seq()), s -> {});
    ProjectionHost<WorldState> host = host(counting);
    join(host.start(vertx, new Snapshot<>(10, 1, atTen)));
    assertThat(folded).containsExactly(11L, 12L);
    assertThat(host.current()).isEqualTo(foldTo(12));
    assertThat(join(host.stateAt(10))).isSameAs(atTen);
    join(host.close());
  }

  @Test
  void refusesASnapshotOfAnotherSchemaVersion() {
    ProjectionHost<WorldState> host = host(world);
    Future<Void> started = host.start(vertx, new Snapshot<>(3, 2, world.initial()));
    assertThat(started.failed()).isTrue();
    assertThat(started.cause()).hasMessageContaining("schema version 2");
    assertThat(host.ready().failed()).isTrue();
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    ProjectionHost<WorldState> host = host(world);
    join(host.start(vertx));
    join(host.close());
    join(host.close());
    assertThat(host.currentSeq()).isZero();
  }

  @Test
  void preparesReplayedEntriesOnTheReadingThreadAndIgnoresWhatPreparingThrows() throws Exception {
    append(0, 9);
    List<String> threads = new CopyOnWriteArrayList<>();
    ProjectionHost<WorldState> host =
        new ProjectionHost<>(
            log,
            world,
            HostOptions.named("world").withReadBatch(4),
            entry -> {
              threads.add(Thread.currentThread().getName());
              if (entry.seq() == 5) {
                throw new IllegalStateException("cannot prepare");
              }
            });
    join(host.start(vertx));
    assertThat(threads).hasSize(9).noneMatch(name -> name.startsWith("aigw-fold-"));
    assertThat(host.current()).isEqualTo(foldTo(9));
    assertThat(host.status().failures()).isZero();
    join(host.close());
  }

  @Test
  void settlesTheReplayedStateAndEveryKeptSnapshotOnTheFoldThread() throws Exception {
    LogPublisher.start(vertx, log);
    append(0, 9);
    List<String> settled = new CopyOnWriteArrayList<>();
    List<WorldState> states = new CopyOnWriteArrayList<>();
    Projection<WorldState> settling =
        new WorldWatched(
            entry -> {},
            state -> {
              settled.add(Thread.currentThread().getName());
              states.add(state);
            });
    ProjectionHost<WorldState> host = host(settling);
    join(host.start(vertx));
    // the snapshot at 5, then the replayed state at 9
    assertThat(settled).hasSize(2).allMatch(name -> name.startsWith("aigw-fold-"));
    assertThat(states).containsExactly(foldTo(5), host.current());
    assertThat(host.current()).isEqualTo(foldTo(9));

    append(9, 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> host.currentSeq() == 11);
    // a live entry's state is settled when it is kept as a snapshot (10), not otherwise
    assertThat(states).containsExactly(foldTo(5), foldTo(9), foldTo(10));
    join(host.close());
  }

  @Test
  void refusesToStartTwice() throws Exception {
    ProjectionHost<WorldState> host = host(world);
    join(host.start(vertx));
    assertThat(host.start(vertx).failed()).isTrue();
    join(host.close());
  }

  @Test
  void closingEndsTheChangesAndKeepsTheLastStateReadable() throws Exception {
    append(0, 4);
    ProjectionHost<WorldState> host = host(world);
    List<String> events = new CopyOnWriteArrayList<>();
    host.changes()
        .subscribe(c -> events.add("change"), e -> events.add("error"), () -> events.add("done"));
    join(host.start(vertx));
    join(host.close());
    await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("done"));
    assertThat(events).containsExactly("done");
    assertThat(host.current()).isEqualTo(foldTo(4));
  }

  @Test
  void aVerticleDeploysTheHostAndUndeployingStopsIt() throws Exception {
    append(0, 6);
    ProjectionVerticle<WorldState> verticle = new ProjectionVerticle<>(host(world));
    String id = join(vertx.deployVerticle(verticle));
    assertThat(verticle.host().isReady()).isTrue();
    assertThat(verticle.host().current()).isEqualTo(foldTo(6));
    join(vertx.undeploy(id));
    assertThat(verticle.host().status().seq()).isEqualTo(6);
  }

  /** The world projection, telling {@code onApply} and {@code onSettle} what it is asked to do. */
  private static final class WorldWatched implements Projection<WorldState> {
    private final WorldProjection world = new WorldProjection();
    private final Consumer<LogEntry> onApply;
    private final Consumer<WorldState> onSettle;

    WorldWatched(Consumer<LogEntry> onApply, Consumer<WorldState> onSettle) {
      this.onApply = onApply;
      this.onSettle = onSettle;
    }

    @Override
    public WorldState initial() {
      return world.initial();
    }

    @Override
    public WorldState apply(WorldState state, LogEntry entry) {
      onApply.accept(entry);
      return world.apply(state, entry);
    }

    @Override
    public void settle(WorldState state) {
      onSettle.accept(state);
    }
  }
}
