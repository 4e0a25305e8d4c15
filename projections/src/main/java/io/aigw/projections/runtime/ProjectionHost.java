package io.aigw.projections.runtime;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.LogTail;
import io.aigw.projections.Projection;
import io.aigw.projections.snapshot.FoldFailure;
import io.aigw.projections.snapshot.FoldPosition;
import io.aigw.projections.snapshot.Snapshot;
import io.aigw.projections.snapshot.Snapshots;
import io.aigw.projections.snapshot.TolerantFold;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.reactivex.rxjava3.processors.UnicastProcessor;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subjects.PublishSubject;
import io.reactivex.rxjava3.subjects.Subject;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.rxjava3.core.RxHelper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection over the log: replays it on start (reading on a worker, folding on the host's
 * thread, the two overlapped), then follows the committed entries with a {@link LogTail} and folds
 * each one exactly once, in seq order. Every fold runs on the host's own thread; readers get the
 * latest state from one atomic reference (state and snapshots swap together, so no reader sees half
 * an update) and older states from {@link #stateAt}, which folds from the nearest snapshot on a
 * worker thread.
 *
 * <p>A projection that throws does not stop the host: the entry is skipped (as every replay will
 * skip it), reported in {@link #status()} and in the {@link Change} of that entry.
 */
public final class ProjectionHost<S> {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectionHost.class);

  /**
   * The worker pool of every host's log reads and {@code stateAt} folds: its own, because a fold
   * from an old snapshot may take longer than Vert.x lets a shared worker task run, and must not
   * hold up the workers of other verticles.
   */
  private static final String WORKERS = "aigw-projection-workers";

  private static final int WORKER_THREADS = 4;

  /** Entries read and prepared at a time for a {@code stateAt}. */
  private static final int STATE_AT_BATCH = 256;

  /** Above this share of the maximum heap (live, after collections), the host thins snapshots. */
  private static final double SNAPSHOT_HEAP_SHARE = 0.6;

  private final EventLog log;
  private final Consumer<LogEntry> prepare;
  private final TolerantFold<S> fold;
  private final Projection<S> projection;
  private final HostOptions options;
  private final AtomicReference<FoldPosition<S>> position;
  private final Subject<Change<S>> changes = PublishSubject.<Change<S>>create().toSerialized();
  private final CompositeDisposable subscriptions = new CompositeDisposable();
  private final Promise<Void> ready = Promise.promise();
  private final AtomicLong failures = new AtomicLong();
  private final AnnouncedSeq announcedSeq;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<Optional<FoldFailure>> lastFailure =
      new AtomicReference<>(Optional.empty());
  private ExecutorService foldExecutor;
  private Scheduler foldThread;
  private WorkerExecutor workers;
  private Scheduler blocking;
  private Vertx vertx;
  private volatile LogTail tail;
  private HeapPressure heap;
  private int collectionsWhenThinned = -HeapPressure.WINDOW;

  /** A host that prepares entries ahead with {@link Projection#prepare}. */
  public ProjectionHost(EventLog log, Projection<S> projection, HostOptions options) {
    this(log, projection, options, projection::prepare);
  }

  /**
   * A host that hands every replayed entry to {@code prepare} on the thread that read it, before
   * the entry reaches the fold thread: a projection that can do part of its work per entry ahead
   * (parsing, validating: {@code GatewayProjection::prepare}) then uses both cores during replay.
   * {@code prepare} must be thread-safe and must not change what the fold computes; whatever it
   * throws is ignored.
   */
  public ProjectionHost(
      EventLog log, Projection<S> projection, HostOptions options, Consumer<LogEntry> prepare) {
    this.prepare = Objects.requireNonNull(prepare, "prepare");
    this.log = Objects.requireNonNull(log, "log");
    this.fold = new TolerantFold<>(projection);
    this.projection = projection;
    this.options = Objects.requireNonNull(options, "options");
    this.announcedSeq = new AnnouncedSeq(options.name());
    this.position =
        new AtomicReference<>(FoldPosition.initial(fold.initial(), options.snapshots()));
  }

  public HostOptions options() {
    return options;
  }

  /**
   * Replays the whole log, then follows it. The returned future, like {@link #ready()}, completes
   * when the replay has caught up with the log's latest seq as of this call.
   */
  public Future<Void> start(Vertx vertx) {
    return start(vertx, Optional.empty());
  }

  /**
   * Starts from {@code snapshot} (which must have the policy's schema version) and replays only the
   * entries after it.
   */
  public Future<Void> start(Vertx vertx, Snapshot<S> snapshot) {
    return start(vertx, Optional.of(snapshot));
  }

  private synchronized Future<Void> start(Vertx vertx, Optional<Snapshot<S>> snapshot) {
    if (this.vertx != null) {
      return Future.failedFuture(new IllegalStateException(options.name() + " already started"));
    }
    this.vertx = vertx;
    if (snapshot.isPresent()) {
      try {
        position.set(FoldPosition.resume(snapshot.get(), options.snapshots()));
        announcedSeq.announce(position.get().seq());
      } catch (IllegalArgumentException e) {
        ready.tryFail(e);
        return ready.future();
      }
    }
    heap = HeapPressure.watch(SNAPSHOT_HEAP_SHARE);
    foldExecutor = Executors.newSingleThreadExecutor(this::newFoldThread);
    foldThread = Schedulers.from(foldExecutor);
    workers = vertx.createSharedWorkerExecutor(WORKERS, WORKER_THREADS, 30, TimeUnit.MINUTES);
    blocking =
        RxHelper.blockingScheduler(io.vertx.rxjava3.core.WorkerExecutor.newInstance(workers));
    Context context = vertx.getOrCreateContext();
    UnicastProcessor<LogEntry> live = UnicastProcessor.create();
    subscriptions.add(
        replay()
            .doOnComplete(() -> context.runOnContext(ignored -> ready.tryComplete()))
            .andThen(Flowable.defer(() -> followFrom(vertx, live)))
            .subscribe(this::follow, this::stopped));
    return ready.future();
  }

  /** Hands the entries after the replayed ones to the fold thread, in seq order. */
  private Flowable<LogEntry> followFrom(Vertx vertx, UnicastProcessor<LogEntry> live) {
    LogTail following = LogTail.follow(vertx, log, position.get().seq(), live::onNext);
    tail = following;
    // close() sets closed before it reads tail: if it read null, this sees closed
    if (closed.get()) {
      following.close();
    }
    return live.observeOn(foldThread);
  }

  private Thread newFoldThread(Runnable task) {
    Thread thread = new Thread(task, "aigw-fold-" + options.name());
    thread.setDaemon(true);
    return thread;
  }

  /** Completes when the initial replay has finished; fails when it could not. */
  public Future<Void> ready() {
    return ready.future();
  }

  public boolean isReady() {
    return ready.future().succeeded();
  }

  /** The latest folded state. Never blocks; safe from any thread. */
  public S current() {
    return position.get().state();
  }

  /** The seq of the last folded entry (0 before the first). */
  public long currentSeq() {
    return position.get().seq();
  }

  /**
   * The seq up to which every subscriber of {@link #changes()} has been handed its change; an entry
   * folded in a replay counts once folded, since replays announce nothing. {@link #currentSeq()}
   * moves before the change is announced, so a caller that waits for what the subscribers do with a
   * change (the ExtProc's routing table, say) waits for this one.
   */
  public long announcedSeq() {
    return announcedSeq.get();
  }

  /**
   * Completes once {@link #announcedSeq()} reaches {@code seq}, at once if it has; fails if the
   * host closes first. Race-free, unlike subscribing to {@link #changes()} and then reading the
   * seq. It may complete on the fold thread: like those of {@link #changes()}, its callbacks must
   * not block.
   */
  public Future<Void> announced(long seq) {
    return announcedSeq.reached(seq);
  }

  /** The latest state together with its seq and snapshots, as one consistent value. */
  public FoldPosition<S> position() {
    return position.get();
  }

  /**
   * The state after the entry {@code seq}: the nearest snapshot at or below it plus the fold of the
   * tail read from the log, computed on a worker thread. Fails with {@link
   * IllegalArgumentException} for a negative seq or one beyond the log's latest.
   */
  public Future<S> stateAt(long seq) {
    return onCallersContext(rxStateAt(seq));
  }

  /** Completes on the caller's context when there is one, else on the thread that computed it. */
  private static <T> Future<T> onCallersContext(Single<T> computation) {
    Context caller = Vertx.currentContext();
    Future<T> result = FutureAdapter.toFuture(computation);
    if (caller == null) {
      return result;
    }
    Promise<T> onCaller = Promise.promise();
    result.onComplete(ar -> caller.runOnContext(ignored -> onCaller.handle(ar)));
    return onCaller.future();
  }

  private Single<S> rxStateAt(long seq) {
    return Single.defer(
        () -> {
          if (seq < 0 || seq > Math.max(log.latestSeq(), position.get().seq())) {
            return Single.error(
                new IllegalArgumentException(
                    "no seq " + seq + " in the log (latest " + log.latestSeq() + ")"));
          }
          Snapshot<S> base = position.get().baseFor(seq, fold.initial());
          return rxFoldOn(base.state(), base.seq(), seq);
        });
  }

  /**
   * The state after the entry {@code seq}, folded on from {@code base}, the state after {@code
   * baseSeq} (one this host's projection computed, at or below {@code seq}), as {@link #stateAt}
   * folds from a snapshot: for a caller that keeps states of its own.
   */
  public Future<S> foldOn(S base, long baseSeq, long seq) {
    if (baseSeq > seq) {
      return Future.failedFuture(
          new IllegalArgumentException("cannot fold back from " + baseSeq + " to " + seq));
    }
    return onCallersContext(rxFoldOn(base, baseSeq, seq));
  }

  private Single<S> rxFoldOn(S base, long baseSeq, long seq) {
    if (baseSeq == seq) {
      return Single.just(base);
    }
    // read and prepare on a worker, fold on another: the two overlap, as in a replay; in small
    // batches, since a tail is short and the fold waits for the first one
    return LogReads.range(log, baseSeq + 1, seq, Math.min(options.readBatch(), STATE_AT_BATCH))
        .doOnNext(batch -> LogReads.prepare(batch, prepare))
        .subscribeOn(blockingScheduler())
        .observeOn(Schedulers.io(), false, 4)
        .reduce(base, this::foldAll);
  }

  private Scheduler blockingScheduler() {
    return blocking == null ? Schedulers.io() : blocking;
  }

  private S foldAll(S state, List<LogEntry> entries) {
    return fold.applyAll(state, entries);
  }

  /**
   * One {@link Change} per entry folded after the initial replay, emitted on the host's fold thread
   * in seq order. Subscribers must not block: observe on your own scheduler for slow work.
   */
  public Observable<Change<S>> changes() {
    return changes.hide();
  }

  public HostStatus status() {
    FoldPosition<S> now = position.get();
    return new HostStatus(
        options.name(),
        now.seq(),
        isReady(),
        now.snapshots().all().stream().map(Snapshot::seq).toList(),
        failures.get(),
        lastFailure.get());
  }

  /** Stops following the log; the last state stays readable. */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    subscriptions.dispose();
    LogTail following = tail;
    Future<Void> unfollowed = following == null ? Future.succeededFuture() : following.close();
    return unfollowed.eventually(
        () -> {
          if (workers != null) {
            workers.close();
          }
          if (heap != null) {
            heap.close();
          }
          if (foldExecutor != null) {
            foldExecutor.execute(changes::onComplete);
            foldExecutor.shutdown();
          } else {
            changes.onComplete();
          }
          ready.tryFail(new IllegalStateException(options.name() + " closed before it was ready"));
          announcedSeq.close();
          return Future.succeededFuture();
        });
  }

  private Completable replay() {
    return Completable.defer(
        () -> {
          long from = position.get().nextSeq();
          long to = log.latestSeq();
          LOG.atInfo()
              .addKeyValue("projection", options.name())
              .addKeyValue("fromSeq", from)
              .addKeyValue("toSeq", to)
              .log("replaying the log");
          return LogReads.range(log, from, to, options.readBatch())
              .doOnNext(batch -> LogReads.prepare(batch, prepare))
              .subscribeOn(blockingScheduler())
              .observeOn(foldThread, false, 4)
              .doOnNext(this::foldReplayed)
              // on the fold thread, before ready: the first reader of current() may be an event
              // loop
              .doOnComplete(() -> projection.settle(position.get().state()))
              .ignoreElements();
        });
  }

  /**
   * Folds a live entry. The tail delivers each entry once and in order; an older entry is dropped
   * and a gap is filled from the log all the same, so the fold never depends on that promise.
   */
  private void follow(LogEntry entry) {
    long next = position.get().nextSeq();
    if (entry.seq() < next) {
      return;
    }
    try {
      if (entry.seq() > next) {
        LogReads.range(log, next, entry.seq() - 1, options.readBatch())
            .blockingForEach(batch -> batch.forEach(missed -> foldNext(missed, true)));
      }
      foldNext(entry, true);
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("projection", options.name())
          .addKeyValue("seq", entry.seq())
          .addKeyValue("expectedSeq", position.get().nextSeq())
          .setCause(e)
          .log("could not fill a gap from the log; waiting for the next entry to retry");
    }
  }

  /**
   * Folds a replayed batch: the same steps as {@link #foldNext} without a position per entry; the
   * position is published when a snapshot is kept and at the end of the batch (no one is told of
   * replayed entries one by one).
   */
  private void foldReplayed(List<LogEntry> batch) {
    FoldPosition<S> at = position.get();
    S state = at.state();
    Snapshots<S> snapshots = at.snapshots();
    long seq = at.seq();
    for (LogEntry entry : batch) {
      if (entry.seq() != seq + 1) {
        throw new IllegalArgumentException(
            "expected seq " + (seq + 1) + " but got " + entry.seq() + ": entries must be gap-free");
      }
      TolerantFold.Step<S> step = fold.step(state, entry);
      state = step.state();
      seq = entry.seq();
      step.failure().ifPresent(this::failed);
      Snapshots<S> offered = snapshots.offer(seq, state);
      if (offered != snapshots) {
        projection.settle(state);
        FoldPosition<S> kept =
            thinnedIfShort(
                new FoldPosition<>(seq, state, offered), new FoldPosition<>(seq, state, snapshots));
        snapshots = kept.snapshots();
        position.set(kept);
      }
    }
    position.set(new FoldPosition<>(seq, state, snapshots));
    announcedSeq.announce(seq);
  }

  private void foldNext(LogEntry entry, boolean live) {
    FoldPosition<S> before = position.get();
    TolerantFold.Step<S> step = fold.step(before.state(), entry);
    FoldPosition<S> advanced = before.advance(entry, step.state());
    if (advanced.snapshots() != before.snapshots()) {
      // a kept state is a base for stateAt: deriving now spares every later read from it
      projection.settle(advanced.state());
    }
    FoldPosition<S> after = thinnedIfShort(advanced, before);
    position.set(after);
    step.failure().ifPresent(this::failed);
    if (live) {
      changes.onNext(new Change<>(entry, before.state(), after.state(), step.failure()));
    }
    announcedSeq.announce(after.seq());
  }

  /**
   * When a snapshot was just kept and the heap is fuller than it should be, halves the snapshots
   * (evenly, doubling the stride) rather than leave it to the collector to drop soft ones at
   * random.
   */
  private FoldPosition<S> thinnedIfShort(FoldPosition<S> after, FoldPosition<S> before) {
    if (after.snapshots() == before.snapshots()
        || heap == null
        || !heap.high()
        || heap.collections() < collectionsWhenThinned + HeapPressure.WINDOW) {
      return after;
    }
    // the heap figure is the least of the last few collections', and the old generation gives back
    // what thinning freed over several of them: acting again before the figure is all from after
    // this thinning would halve the snapshots in a cascade
    collectionsWhenThinned = heap.collections();
    Snapshots<S> thinned = after.snapshots().thinned();
    LOG.atInfo()
        .addKeyValue("projection", options.name())
        .addKeyValue("seq", after.seq())
        .addKeyValue("heapAfterGcMiB", heap.usedAfterGc() >> 20)
        .addKeyValue("snapshotStride", thinned.stride())
        .log("heap is short: keeping fewer snapshots");
    return new FoldPosition<>(after.seq(), after.state(), thinned);
  }

  private void failed(FoldFailure failure) {
    failures.incrementAndGet();
    lastFailure.set(Optional.of(failure));
    LOG.atWarn()
        .addKeyValue("projection", options.name())
        .addKeyValue("seq", failure.seq())
        .log("the projection could not fold this entry; skipped: {}", failure.error());
  }

  private void stopped(Throwable error) {
    ready.tryFail(error);
    LOG.atError()
        .addKeyValue("projection", options.name())
        .addKeyValue("seq", position.get().seq())
        .setCause(error)
        .log("the projection host stopped following the log");
  }
}
