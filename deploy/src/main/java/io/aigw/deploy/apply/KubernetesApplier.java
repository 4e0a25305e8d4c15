package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.Outcome;
import io.aigw.core.log.EventLog;
import io.aigw.core.model.gateway.Names;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.status.ResourceStatus;
import io.reactivex.rxjava3.disposables.Disposable;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.pcollections.PSortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the cluster match the projections: every desired object applied, every object aigw owns and
 * no longer wants deleted, the wanted status written on every AI Gateway object. Run by the leader
 * only.
 *
 * <p>How it works, top to bottom:
 *
 * <ol>
 *   <li><b>Sweep</b> at start (and every {@code driftInterval}): list the live objects labelled
 *       {@code app.kubernetes.io/managed-by: aigw} of every kind aigw emits, and the AI Gateway
 *       objects; compare each with the desired object (only the fields aigw sets, plus the applied
 *       hash) or the wanted status. What matches is recorded as Noop at start and costs no write;
 *       what differs, is missing, or is no longer desired is queued.
 *   <li><b>Watch</b> ({@link #liveChanged}): a generated object someone changes or deletes is
 *       compared a second later with the latest desired one and queued if it differs, so a repair
 *       does not wait for the next sweep.
 *   <li><b>Changes</b>: each new state of the projection host is compared with the last one seen
 *       (unchanged entries are shared, so this is mostly identity checks; states arriving faster
 *       than that are coalesced) and the changed targets are queued.
 *   <li><b>Work queue</b>: a target (an object, or the status of one) is never reconciled twice at
 *       once; a target changed meanwhile is redone after; each reconcile reads the latest state, so
 *       a burst of changes costs one write. At most {@code maxInFlight} calls run at a time.
 *   <li><b>Failures</b>: 409, 429, 5xx and timeouts are retried with exponential backoff and
 *       jitter, per target, so a failing object never holds up the others; after {@code
 *       maxAttempts} the target is recorded as Failed (the next change or drift check tries again).
 *       Other errors (400, 403, 422, …) are recorded as Failed at once.
 *   <li><b>Outcomes</b>: Created, Patched, Deleted, Noop and Failed are appended to the log as
 *       {@link ApplyOutcome}s with the seq of the state they applied.
 * </ol>
 *
 * All bookkeeping runs on one thread of its own; API calls are asynchronous and never block it.
 */
public final class KubernetesApplier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesApplier.class);
  static final String MANAGED_SELECTOR = Names.MANAGED_BY_LABEL + "=" + Names.MANAGED_BY;
  static final String DRIFTED = "drift: the live object differed from the desired one";
  static final String MISSING = "drift: the live object was missing";

  /** How long a watched change of a generated object waits before it is checked. */
  static final Duration REPAIR_DELAY = Duration.ofSeconds(1);

  /** An object to apply or prune, or the status of an AI Gateway object. */
  record Target(ObjectKey key, boolean status) {}

  private final ObjectApi api;
  private final EventLog log;
  private final ProjectionHost<GatewayState> host;
  private final ApplierOptions options;
  private final ObjectReconciler objects;
  private final StatusReconciler statuses;
  private final LiveLister lister;
  private final ScheduledExecutorService control;
  private final Random jitter = new Random();
  private final Map<Target, TargetRecord> records = new HashMap<>();
  private final LinkedHashSet<Target> queue = new LinkedHashSet<>();
  private final Set<Target> inFlight = new HashSet<>();
  private final Set<Target> again = new HashSet<>();
  private final Set<Target> failing = new HashSet<>();
  private final AtomicBoolean diffPending = new AtomicBoolean();
  private final CompletableFuture<Void> swept = new CompletableFuture<>();
  private final Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);
  private final Map<Outcome, Long> reported = new EnumMap<>(Outcome.class);
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong sweeps = new AtomicLong();
  // outcomes handed to the log and not yet committed: the applier is not settled while any is
  private final AtomicInteger recording = new AtomicInteger();
  private final AtomicReference<ApplierStatus> status = new AtomicReference<>();
  private GatewayState seen;
  private boolean sweeping;
  private int waiting;
  private int sweepFailures;
  private volatile boolean serverSideApply = true;
  private volatile boolean closed;
  private Disposable changes = Disposable.empty();

  public KubernetesApplier(
      ObjectApi api, EventLog log, ProjectionHost<GatewayState> host, ApplierOptions options) {
    this.api = api;
    this.log = log;
    this.host = host;
    this.options = options;
    this.objects = new ObjectReconciler(api);
    this.statuses = new StatusReconciler(api, options.clock());
    this.control =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "aigw-applier");
              thread.setDaemon(true);
              return thread;
            });
    this.lister = new LiveLister(api, control);
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome, new AtomicLong());
      reported.put(outcome, 0L);
    }
    publishStatus();
  }

  /**
   * Starts following the projection host, which must be ready (its state must reflect the cluster,
   * or the first sweep would prune what is merely not folded yet). Completes after the first sweep.
   */
  public CompletableFuture<Void> start() {
    onControl(
        () -> {
          changes = host.changes().subscribe(change -> changed(), this::hostFailed);
          sweep(true);
        });
    return swept;
  }

  /** Completes once the first comparison with the cluster is done and its work is queued. */
  public CompletableFuture<Void> swept() {
    return swept;
  }

  public ApplierStatus status() {
    return status.get();
  }

  /** Stops: nothing is queued or recorded after this; calls in flight finish unheard. */
  @Override
  public void close() {
    closed = true;
    changes.dispose();
    control.shutdownNow();
    swept.completeExceptionally(new IllegalStateException("applier closed"));
  }

  private void hostFailed(Throwable error) {
    LOG.atError().setCause(error).log("the projection host stopped; the applier follows no more");
  }

  private void changed() {
    if (diffPending.compareAndSet(false, true)) {
      onControl(this::diff);
    }
  }

  private void diff() {
    diffPending.set(false);
    if (closed || sweeping) {
      return;
    }
    GatewayState now = host.current();
    enqueueChanges(seen, now);
    seen = now;
    pump();
  }

  private void enqueueChanges(GatewayState before, GatewayState after) {
    if (before.desired() != after.desired()) {
      diff(
          before.desired(),
          after.desired(),
          key -> enqueue(new Target(key, false)),
          key -> enqueue(new Target(key, false)));
    }
    if (before.statuses() != after.statuses()) {
      diff(
          before.statuses(),
          after.statuses(),
          key -> enqueue(new Target(key, true)),
          key -> records.remove(new Target(key, true)));
    }
  }

  /**
   * Walks two sorted maps side by side (a merge, not a lookup per key: the states share their
   * unchanged entries, so most steps are two identity checks) and reports the keys added or whose
   * value was replaced, and the keys removed.
   */
  static <V> void diff(
      PSortedMap<ObjectKey, V> before,
      PSortedMap<ObjectKey, V> after,
      Consumer<ObjectKey> changed,
      Consumer<ObjectKey> removed) {
    Comparator<? super ObjectKey> order = after.comparator();
    Iterator<Map.Entry<ObjectKey, V>> was = before.entrySet().iterator();
    Iterator<Map.Entry<ObjectKey, V>> now = after.entrySet().iterator();
    Map.Entry<ObjectKey, V> old = was.hasNext() ? was.next() : null;
    Map.Entry<ObjectKey, V> cur = now.hasNext() ? now.next() : null;
    while (old != null || cur != null) {
      int side;
      if (old == null) {
        side = 1;
      } else if (cur == null) {
        side = -1;
      } else {
        side = old.getKey() == cur.getKey() ? 0 : order.compare(old.getKey(), cur.getKey());
      }
      if (side <= 0 && old != null) {
        if (side < 0) {
          removed.accept(old.getKey());
        } else if (old.getValue() != cur.getValue()) {
          changed.accept(cur.getKey());
        }
        old = was.hasNext() ? was.next() : null;
      }
      if (side >= 0 && cur != null) {
        if (side > 0) {
          changed.accept(cur.getKey());
        }
        cur = now.hasNext() ? now.next() : null;
      }
    }
  }

  private void enqueue(Target target) {
    // a log recorded with a wider --namespace still holds objects of other namespaces: this
    // applier lists only its own, and must never write outside them
    if (!options.namespaces().isEmpty()
        && !options.namespaces().contains(target.key().namespace())) {
      return;
    }
    if (inFlight.contains(target)) {
      again.add(target);
    } else {
      queue.add(target);
    }
  }

  private void pump() {
    while (!closed && inFlight.size() < options.maxInFlight() && !queue.isEmpty()) {
      Iterator<Target> first = queue.iterator();
      Target target = first.next();
      first.remove();
      inFlight.add(target);
      reconcile(target);
    }
    if (inFlight.isEmpty() && queue.isEmpty()) {
      reportIdle();
    }
    publishStatus();
  }

  private void reconcile(Target target) {
    GatewayState state = host.current();
    long seq = state.seq();
    CompletionStage<Step> step;
    try {
      step = reconcileOn(state, target);
    } catch (RuntimeException e) {
      step = CompletableFuture.completedFuture(Step.failed(e.toString()));
    }
    step.whenComplete(
        (result, error) ->
            onControl(
                () ->
                    finished(
                        target, seq, result != null ? result : Step.retryLater(describe(error)))));
  }

  private CompletionStage<Step> reconcileOn(GatewayState state, Target target) {
    ObjectKey key = target.key();
    ResourceType type =
        ResourceType.of(key)
            .orElseThrow(() -> new IllegalArgumentException("aigw does not write " + key));
    TargetRecord.Known known = record(target).known();
    if (target.status()) {
      return statuses.reconcile(key, type, Optional.ofNullable(state.statuses().get(key)), known);
    }
    Optional<JsonNode> desired =
        Optional.ofNullable(state.desired().get(key)).map(DesiredResource::object);
    return objects.reconcile(key, type, desired, known, serverSideApply);
  }

  private void finished(Target target, long seq, Step step) {
    inFlight.remove(target);
    if (closed) {
      return;
    }
    TargetRecord record = record(target);
    step.learned().accept(record);
    if (step.serverSideApplyUnsupported()) {
      fallBack();
      step.outcome()
          .ifPresentOrElse(
              outcome -> settled(target, record, outcome, step.reason(), seq),
              () -> queue.add(target));
    } else if (step.retry()) {
      retry(target, record, step.reason(), seq);
    } else {
      step.outcome()
          .ifPresentOrElse(
              outcome -> settled(target, record, outcome, step.reason(), seq),
              () -> settled(target, record));
    }
    if (again.remove(target)) {
      queue.add(target);
    }
    forgetPruned(target, record);
    pump();
  }

  private void settled(Target target, TargetRecord record) {
    record.attempts = 0;
    failing.remove(target);
  }

  private void settled(
      Target target, TargetRecord record, Outcome outcome, String reason, long seq) {
    record.attempts = 0;
    if (outcome == Outcome.FAILED) {
      failing.add(target);
    } else {
      failing.remove(target);
    }
    recordOutcome(target, outcome, reason, seq);
  }

  private void retry(Target target, TargetRecord record, String reason, long seq) {
    record.attempts++;
    retries.incrementAndGet();
    if (record.attempts >= options.backoff().maxAttempts()) {
      String why = reason + " (gave up after " + record.attempts + " attempts)";
      settled(target, record, Outcome.FAILED, why, seq);
      return;
    }
    Duration delay = options.backoff().delay(record.attempts, jitter::nextDouble);
    LOG.atDebug()
        .addKeyValue("target", target)
        .addKeyValue("attempt", record.attempts)
        .addKeyValue("delayMs", delay.toMillis())
        .log("retrying: {}", reason);
    waiting++;
    schedule(() -> retryNow(target), delay);
  }

  private void retryNow(Target target) {
    waiting--;
    if (!closed) {
      enqueue(target);
      pump();
    }
  }

  private void fallBack() {
    if (serverSideApply) {
      serverSideApply = false;
      LOG.warn(
          "the API server does not implement server-side apply: writing with create and"
              + " update under resourceVersion instead");
    }
  }

  private void forgetPruned(Target target, TargetRecord record) {
    if (!target.status()
        && record.existence == TargetRecord.Existence.ABSENT
        && record.attempts == 0
        && !queue.contains(target)
        && host.current().desired().get(target.key()) == null) {
      records.remove(target);
    }
  }

  private void recordOutcome(Target target, Outcome outcome, String reason, long seq) {
    counts.get(outcome).incrementAndGet();
    ObjectKey key = target.key();
    ApplyOutcome applied =
        new ApplyOutcome(
            options.source(),
            ResourceType.of(key).map(ResourceType::apiVersion).orElse(key.group()),
            key.kind(),
            key.namespace(),
            key.name(),
            target.status() ? "status" : "",
            outcome,
            reason,
            seq);
    if (outcome == Outcome.FAILED) {
      LOG.atWarn().addKeyValue("seq", seq).log(applied.describe());
    } else {
      LOG.atDebug().addKeyValue("seq", seq).log(applied.describe());
    }
    recording.incrementAndGet();
    log.append(applied)
        .whenComplete(
            (entry, error) -> {
              if (error != null && !closed) {
                LOG.atWarn().setCause(error).log("could not record {}", applied.describe());
              }
              // the last commit is what can settle the applier; the others change nothing else
              if (recording.decrementAndGet() == 0) {
                onControl(this::publishStatus);
              }
            });
  }

  // --- a watch of the generated objects: repair one as soon as it is changed or deleted ---

  /**
   * A watch saw the live object under {@code key} change or go. It is compared with the latest
   * desired state {@link #REPAIR_DELAY} later (once the first sweep is done, which compares them
   * all) and queued when it differs: a hand-deleted ExtProc Deployment comes back in about a
   * second, not at the next drift check. An object missing because the route that owns it is gone
   * or being deleted is left to the garbage collector. Safe from any thread.
   */
  public void liveChanged(ObjectKey key, LiveObjects live) {
    if (!closed) {
      swept.thenRun(() -> schedule(() -> recheck(key, live), REPAIR_DELAY));
    }
  }

  private void recheck(ObjectKey key, LiveObjects live) {
    Target target = new Target(key, false);
    if (closed || busy(target)) {
      return;
    }
    GatewayState state = host.current();
    DesiredResource desired = state.desired().get(key);
    Optional<JsonNode> item = live.get(key);
    if (desired != null && item.isEmpty() && !OwnerRoute.isLive(state, desired)) {
      return;
    }
    compare(target, desired, item, false, state.seq());
    pump();
  }

  /**
   * Compares a live object (empty: there is none) with the desired one (null: none) and queues the
   * target when they differ; one that matches is recorded as applied (and as Noop at start).
   */
  private void compare(
      Target target, DesiredResource desired, Optional<JsonNode> item, boolean initial, long seq) {
    TargetRecord record = record(target);
    if (item.isEmpty()) {
      if (desired != null) {
        record.gone();
        record.drift = initial ? "" : MISSING;
        enqueue(target);
      }
      return;
    }
    record.existence = TargetRecord.Existence.EXISTS;
    if (desired == null) {
      record.appliedHash = "";
      enqueue(target);
      return;
    }
    AppliedObject applied = AppliedObject.of(desired.object());
    if (applied.matches(item.get())) {
      record.applied(applied.hash());
      if (initial) {
        recordOutcome(target, Outcome.NOOP, "", seq);
      }
    } else {
      record.appliedHash = "";
      record.drift = initial ? "" : DRIFTED;
      enqueue(target);
    }
  }

  // --- the sweep: compare the cluster with the desired state ---

  private void sweep(boolean initial) {
    if (closed) {
      return;
    }
    sweeping = true;
    GatewayState state = host.current();
    Set<ObjectKey> live = new HashSet<>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (ResourceType type : ResourceType.OWNED) {
      chain =
          chain.thenCompose(
              v ->
                  lister.listAll(
                      type,
                      options.namespaces(),
                      MANAGED_SELECTOR,
                      items -> compareOwned(state, type, items, live, initial)));
    }
    for (ResourceType type : ResourceType.WITH_STATUS) {
      chain =
          chain.thenCompose(
              v ->
                  lister.listAll(
                      type,
                      options.namespaces(),
                      "",
                      items -> compareStatuses(state, type, items, initial)));
    }
    chain.whenComplete((v, error) -> onControl(() -> swept(state, live, initial, error)));
  }

  private void compareOwned(
      GatewayState state,
      ResourceType type,
      List<JsonNode> items,
      Set<ObjectKey> live,
      boolean initial) {
    for (JsonNode item : items) {
      ObjectKey key = keyOf(type, item);
      live.add(key);
      Target target = new Target(key, false);
      if (initial || !busy(target)) {
        compare(target, state.desired().get(key), Optional.of(item), initial, state.seq());
      }
    }
  }

  private void compareStatuses(
      GatewayState state, ResourceType type, List<JsonNode> items, boolean initial) {
    for (JsonNode item : items) {
      ObjectKey key = keyOf(type, item);
      ResourceStatus wanted = state.statuses().get(key);
      Target target = new Target(key, true);
      if (wanted == null || (!initial && busy(target))) {
        continue;
      }
      TargetRecord record = record(target);
      if (StatusPatch.of(wanted, item, options.clock().instant()).isEmpty()) {
        record.status = Optional.of(wanted);
        if (initial) {
          recordOutcome(target, Outcome.NOOP, "", state.seq());
        }
      } else {
        record.status = Optional.empty();
        enqueue(target);
      }
    }
  }

  private void swept(GatewayState state, Set<ObjectKey> live, boolean initial, Throwable error) {
    if (closed) {
      return;
    }
    if (error != null) {
      sweepFailures++;
      Duration delay = options.backoff().delay(sweepFailures, jitter::nextDouble);
      LOG.atWarn()
          .addKeyValue("attempt", sweepFailures)
          .addKeyValue("delayMs", delay.toMillis())
          .log("could not list the live objects, retrying: {}", describe(error));
      schedule(() -> sweep(initial), delay);
      if (!initial) {
        // a drift check that cannot list delays only itself: changes keep being applied
        sweeping = false;
        diff();
      }
      return;
    }
    sweepFailures = 0;
    for (Map.Entry<ObjectKey, DesiredResource> wanted : state.desired().entrySet()) {
      Target target = new Target(wanted.getKey(), false);
      // a route being deleted in the foreground loses its objects first: not missing, going
      if (!live.contains(wanted.getKey())
          && (initial || !busy(target))
          && OwnerRoute.isLive(state, wanted.getValue())) {
        compare(target, wanted.getValue(), Optional.empty(), initial, state.seq());
      }
    }
    sweeping = false;
    sweeps.incrementAndGet();
    seen = state;
    LOG.atInfo()
        .addKeyValue("seq", state.seq())
        .addKeyValue("live", live.size())
        .addKeyValue("desired", state.desired().size())
        .addKeyValue("queued", queue.size())
        .log(initial ? "compared the cluster with the desired state" : "drift check done");
    if (!options.driftInterval().isZero()) {
      schedule(() -> sweep(false), options.driftInterval());
    }
    swept.complete(null);
    diff();
    pump();
  }

  // --- helpers ---

  private boolean busy(Target target) {
    return inFlight.contains(target) || queue.contains(target);
  }

  private TargetRecord record(Target target) {
    return records.computeIfAbsent(target, t -> new TargetRecord());
  }

  private static ObjectKey keyOf(ResourceType type, JsonNode item) {
    JsonNode metadata = item.path("metadata");
    return type.key(metadata.path("namespace").asText(""), metadata.path("name").asText(""));
  }

  private void reportIdle() {
    StringBuilder line = new StringBuilder();
    for (Outcome outcome : Outcome.values()) {
      long now = counts.get(outcome).get();
      long delta = now - reported.get(outcome);
      if (delta > 0) {
        line.append(line.length() == 0 ? "" : ", ").append(delta).append(' ');
        line.append(outcome.name().toLowerCase(java.util.Locale.ROOT));
        reported.put(outcome, now);
      }
    }
    if (line.length() > 0) {
      LOG.atInfo()
          .addKeyValue("seq", seen == null ? 0 : seen.seq())
          .log("cluster in line with the desired state: {}", line);
    }
  }

  private void publishStatus() {
    status.set(
        new ApplierStatus(
            swept.isDone() && !swept.isCompletedExceptionally(),
            serverSideApply,
            seen == null ? 0 : seen.seq(),
            queue.size(),
            inFlight.size(),
            waiting,
            recording.get(),
            failing.size(),
            counts.get(Outcome.CREATED).get(),
            counts.get(Outcome.PATCHED).get(),
            counts.get(Outcome.DELETED).get(),
            counts.get(Outcome.NOOP).get(),
            counts.get(Outcome.FAILED).get(),
            retries.get(),
            sweeps.get()));
  }

  private void onControl(Runnable task) {
    try {
      control.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.atError().setCause(e).log("applier step failed");
            }
          });
    } catch (RejectedExecutionException e) {
      // closed: nothing more to do
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      control.schedule(() -> onControl(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null
        && (cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
