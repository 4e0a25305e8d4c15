package io.aigw.deploy.controller;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.LogPublisher;
import io.aigw.core.log.kafka.KafkaEventLog;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.deploy.apply.ApplierStatus;
import io.aigw.deploy.apply.FabricObjectApi;
import io.aigw.deploy.apply.KubernetesApplier;
import io.aigw.deploy.datadir.DataDirectory;
import io.aigw.deploy.leader.LeaseElection;
import io.aigw.deploy.rotate.CredentialRotators;
import io.aigw.deploy.settings.Settings;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.watchers.informer.ClusterWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.reactivex.rxjava3.disposables.Disposable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aigw controller}: the cluster watched into the event log, the log folded by the gateway
 * projection, and, on the replica that holds the Lease, the fold applied to the cluster.
 *
 * <p>Start-up, in order: open the log and replay it (the projection's state is what the log held);
 * start the informers, seeded with that state, so that only what changed while aigw was away is
 * appended; once every informer has listed and the projection has folded what they appended, the
 * controller is {@link #ready()} and stands for election. Every replica with a log of its own does
 * all of this (a hot standby: a new leader starts from an up-to-date state); only the leader runs
 * the {@link KubernetesApplier}, the {@link CredentialRotators} (for the BackendSecurityPolicies in
 * effect in the fold) and the release of upstream's finalizers ({@link UpstreamFinalizers}), which
 * all stop when the Lease is lost.
 *
 * <p>Replicas that share one log, a Kafka topic, must not all append their own view of the cluster.
 * There only the leader watches: a standby folds the topic and is ready once it has caught up; a
 * new leader first starts the informers, seeded with the fold, and starts applying once what they
 * found is folded.
 */
public final class KubernetesController {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesController.class);

  private final Vertx vertx;
  private final KubernetesClient client;
  private final ControllerOptions options;
  private final CompositeDisposable subscriptions = new CompositeDisposable();
  private final Promise<Void> ready = Promise.promise();
  private final AtomicReference<Optional<GeneratedObjectsWatcher>> generated =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<KubernetesApplier>> applier =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<UpstreamFinalizers>> finalizers =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<CredentialRotators>> rotators =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<Throwable>> failure =
      new AtomicReference<>(Optional.empty());
  private EventLog log;
  private LogPublisher publisher;
  private ProjectionHost<GatewayState> host;
  // leading and watching start and stop under it, each start checking that its term still holds
  private final Object leadership = new Object();
  private volatile ClusterWatcher watcher;
  private Disposable watching = Disposable.empty();
  // counts leadership changes: a leader's start that finishes after the Lease was lost is dropped
  private final AtomicLong terms = new AtomicLong();
  // close() and becameReady() take it: one sees the other's closed flag or election
  private final Object standing = new Object();
  private final AtomicReference<CompletableFuture<?>> lastAppend =
      new AtomicReference<>(CompletableFuture.completedFuture(null));
  private volatile LeaseElection election;
  private volatile boolean closed;
  private volatile Future<Void> replayed;

  private KubernetesController(Vertx vertx, KubernetesClient client, ControllerOptions options) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
  }

  /**
   * Opens the log, replays it and starts the informers; completes when that is under way (not when
   * ready: see {@link #ready()}).
   */
  public static Future<KubernetesController> start(
      Vertx vertx, KubernetesClient client, ControllerOptions options) {
    return open(vertx, client, options)
        .compose(controller -> controller.replayed().map(controller));
  }

  /**
   * Opens the log and starts replaying it, the informers to start once it is replayed; completes
   * once the log is open. A long log replays for minutes, and the admin port's probes must answer
   * meanwhile ({@code /healthz} alive, {@code /readyz} not yet): see {@link #replayed()}.
   */
  public static Future<KubernetesController> open(
      Vertx vertx, KubernetesClient client, ControllerOptions options) {
    KubernetesController controller = new KubernetesController(vertx, client, options);
    return controller
        .openLog()
        .map(
            v -> {
              controller.replayed =
                  controller
                      .replay()
                      .map(
                          replayed -> {
                            controller.watch();
                            return null;
                          });
              return controller;
            });
  }

  /** Completes once the log is replayed and the informers are started. */
  public Future<Void> replayed() {
    return replayed;
  }

  private Future<Void> openLog() {
    return vertx.executeBlocking(
        () -> {
          log =
              options.kafka().isPresent()
                  ? KafkaEventLog.open(
                      vertx,
                      options
                          .kafka()
                          .get()
                          .withOwner(
                              LogOwner.of(
                                  client, options.lease().namespace(), options.lease().name())))
                  : DataDirectory.openLog(options.dataDirectory(), options.fsync());
          return null;
        });
  }

  private Future<Void> replay() {
    publisher = LogPublisher.start(vertx, log);
    host =
        new ProjectionHost<>(
            log, new GatewayProjection(options.extProc()), Settings.gatewayHost(System.getenv()));
    return host.start(vertx);
  }

  private void watch() {
    Context context = vertx.getOrCreateContext();
    if (sharesLog()) {
      // the leader's watch fills the topic; a standby is ready once it has folded the topic
      long seq = log.latestSeq();
      host.ready()
          .compose(replayed -> host.announced(seq))
          .onSuccess(done -> context.runOnContext(ignored -> becameReady(seq)))
          .onFailure(this::failed);
      return;
    }
    startWatcher(-1)
        .whenComplete(
            (seq, error) -> {
              if (error != null) {
                if (!closed) {
                  failed(error);
                }
              } else {
                host.ready()
                    .compose(replayed -> host.announced(seq))
                    .onSuccess(done -> context.runOnContext(ignored -> becameReady(seq)));
              }
            });
  }

  /**
   * Whether the replicas share one log (a Kafka topic): then only the leader watches the cluster
   * and appends, and the standbys fold what it appends. Each replica with a log of its own watches
   * and appends all the time.
   */
  private boolean sharesLog() {
    return options.kafka().isPresent();
  }

  /**
   * Starts the informers, seeded with the fold's world so that only what changed since is appended,
   * in place of any started before, unless leadership changed since {@code term} began (a negative
   * term: watching does not depend on leading). Completes with a seq that covers their first lists.
   */
  private CompletableFuture<Long> startWatcher(long term) {
    synchronized (leadership) {
      if (term >= 0 && !isTerm(term)) {
        return CompletableFuture.failedFuture(new IllegalStateException("no longer leading"));
      }
      if (closed) {
        // a replay that ended as the controller closed
        return CompletableFuture.failedFuture(new IllegalStateException("closed"));
      }
      stopWatcher();
      Map<ObjectKey, WatchEvent> recorded = new TreeMap<>();
      host.current().world().objects().forEach((key, object) -> recorded.put(key, object.event()));
      ClusterWatcher started =
          ClusterWatcher.builder(client)
              .source(options.source())
              .namespaces(options.namespaces())
              .recorded(recorded)
              .build();
      watcher = started;
      // appended in the order the watcher admits them: the append itself never blocks
      watching = started.events().subscribe(this::append, this::failed);
      return started
          .start()
          // the listed objects are queued for the log by now, not yet committed; appends commit
          // in order, so once the last has, the latest seq covers every one of them
          .thenCompose(synced -> lastAppend.get())
          .thenApply(appended -> log.latestSeq());
    }
  }

  private void stopWatcher() {
    synchronized (leadership) {
      watching.dispose();
      watching = Disposable.empty();
      if (watcher != null) {
        watcher.close();
        watcher = null;
      }
    }
  }

  private void append(WatchEvent event) {
    CompletableFuture<LogEntry> appended = log.append(event);
    lastAppend.set(appended);
    appended.whenComplete(
        (entry, error) -> {
          if (error != null && !closed) {
            failed(error);
          }
        });
  }

  private void becameReady(long seq) {
    synchronized (standing) {
      // a controller that is closing, or whose log refused an append, neither is ready nor leads
      if (closed || failure.get().isPresent()) {
        return;
      }
      LOG.atInfo()
          .addKeyValue("seq", seq)
          // only the world: the desired objects may still be underived, hundreds of ms on this loop
          .addKeyValue("objects", host.current().world().objects().size())
          .log("ready: informers synced and the log folded; standing for election");
      ready.tryComplete();
      election = new LeaseElection(client, options.lease());
      subscriptions.add(election.leadership().subscribe(this::leadershipChanged, this::failed));
      election.start();
    }
  }

  private void leadershipChanged(boolean leading) {
    long term;
    synchronized (leadership) {
      term = terms.incrementAndGet();
      // a failed controller's Lease, granted before stepDown closed the election, starts nothing
      if (!leading || closed || failure.get().isPresent()) {
        stopWork(sharesLog());
        return;
      }
      if (!sharesLog()) {
        lead();
        return;
      }
    }
    // the new leader first folds all the topic holds (the last leader's latest entries too), then
    // brings it up to date with the cluster, so that it never applies an outdated state
    Context context = vertx.getOrCreateContext();
    topicEnd()
        .compose(host::announced)
        .compose(folded -> Future.fromCompletionStage(startWatcher(term), context))
        .compose(seq -> host.announced(seq))
        .onComplete(
            started -> {
              synchronized (leadership) {
                if (!isTerm(term)) {
                  return;
                }
                if (started.succeeded()) {
                  lead();
                } else {
                  failed(started.cause());
                }
              }
            });
  }

  /** Whether leadership has not changed since {@code term} began and the controller is open. */
  private boolean isTerm(long term) {
    return terms.get() == term && !closed;
  }

  /** The seq of the last entry the log holds, whoever appended it. */
  private Future<Long> topicEnd() {
    return log instanceof KafkaEventLog kafka
        ? vertx.executeBlocking(kafka::endSeq)
        : Future.succeededFuture(log.latestSeq());
  }

  private void lead() {
    KubernetesApplier started =
        new KubernetesApplier(
            new FabricObjectApi(client, options.requestTimeout()), log, host, options.applier());
    applier.getAndSet(Optional.of(started)).ifPresent(KubernetesApplier::close);
    started.start();
    generated
        .getAndSet(
            Optional.of(GeneratedObjectsWatcher.start(client, options.namespaces(), started)))
        .ifPresent(GeneratedObjectsWatcher::close);
    finalizers
        .getAndSet(Optional.of(UpstreamFinalizers.start(client, host)))
        .ifPresent(UpstreamFinalizers::close);
    CredentialRotators rotating =
        CredentialRotators.start(
            vertx,
            client,
            this::policies,
            new FoldRotationView(host),
            this::recordRotation,
            options.rotation());
    rotators.getAndSet(Optional.of(rotating)).ifPresent(CredentialRotators::stop);
    LOG.atInfo().log("leading: applying the fold and rotating policy credentials");
  }

  private void stopLeading() {
    generated.getAndSet(Optional.empty()).ifPresent(GeneratedObjectsWatcher::close);
    finalizers.getAndSet(Optional.empty()).ifPresent(UpstreamFinalizers::close);
    applier.getAndSet(Optional.empty()).ifPresent(KubernetesApplier::close);
    rotators.getAndSet(Optional.empty()).ifPresent(CredentialRotators::stop);
  }

  /** Appends how rotating a policy's credential went, which its status shows. */
  private void recordRotation(BackendSecurityPolicy policy, String failure) {
    RotationOutcome outcome = RotationOutcome.of(options.source(), policy, failure);
    log.append(outcome)
        .whenComplete(
            (entry, error) -> {
              if (error != null && !closed) {
                LOG.atWarn().setCause(error).log("could not record {}", outcome.describe());
              }
            });
  }

  /** The BackendSecurityPolicies in effect in the latest fold: what the rotators renew. */
  private List<BackendSecurityPolicy> policies() {
    return host.current().catalog().policies().values().stream().map(Versioned::resource).toList();
  }

  private void failed(Throwable thrown) {
    if (closed) {
      return;
    }
    Throwable error =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    // a log that refuses appends fails every one of them: the first says why, once
    if (failure.compareAndSet(Optional.empty(), Optional.of(error))) {
      LOG.atError().setCause(error).log("the controller stopped following the cluster: {}", error);
      stepDown();
    }
    ready.tryFail(error);
  }

  /**
   * A failed controller stops leading and gives up the Lease: {@code /healthz} and {@code /readyz}
   * fail until it is restarted, and meanwhile a standby leads instead of nobody. Off the caller's
   * thread, which may be the election's own.
   */
  private void stepDown() {
    vertx.executeBlocking(
        () -> {
          stopWork(sharesLog());
          if (giveUpLease()) {
            LOG.atWarn().log("gave up the Lease: a standby replica may lead");
          }
          return null;
        });
  }

  /**
   * Ends the current term and its work: applying, rotating, and watching too when {@code watching}
   * (a shared log is watched by its leader only). A start under way finds its term over.
   */
  private void stopWork(boolean watching) {
    synchronized (leadership) {
      terms.incrementAndGet();
      stopLeading();
      if (watching) {
        stopWatcher();
      }
    }
  }

  /** Stops standing for election, releasing the Lease if held; false when it never stood. */
  private boolean giveUpLease() {
    LeaseElection standingFor;
    synchronized (standing) {
      standingFor = election;
    }
    if (standingFor == null) {
      return false;
    }
    standingFor.close();
    return true;
  }

  /** Completes once the informers have synced and the log is folded; fails if that cannot be. */
  public Future<Void> ready() {
    return ready.future();
  }

  /** Whether the controller follows the cluster: ready ({@link #ready}), and not failed since. */
  public boolean isReady() {
    return ready.future().succeeded() && failure.get().isEmpty();
  }

  /** A failure that stopped the controller (a log that refuses appends), if any. */
  public Optional<Throwable> failure() {
    return failure.get();
  }

  public boolean isLeader() {
    return election != null && election.isLeader();
  }

  /** The applier's status while this replica leads. */
  public Optional<ApplierStatus> applierStatus() {
    return applier.get().map(KubernetesApplier::status);
  }

  public Optional<KubernetesApplier> applier() {
    return applier.get();
  }

  /** True while this replica runs the credential rotators (it leads). */
  public boolean rotating() {
    return rotators.get().isPresent();
  }

  public KubernetesClient client() {
    return client;
  }

  public ControllerOptions options() {
    return options;
  }

  public ProjectionHost<GatewayState> host() {
    return host;
  }

  public EventLog log() {
    return log;
  }

  public ClusterWatcher watcher() {
    return watcher;
  }

  public Optional<LeaseElection> election() {
    return Optional.ofNullable(election);
  }

  /** Stops leading and watching, releases the Lease and closes the log. */
  public Future<Void> close() {
    synchronized (standing) {
      closed = true;
    }
    return vertx
        .executeBlocking(
            () -> {
              // the work stops before the Lease is given up, so that no other replica leads
              // while this one still applies or appends
              stopWork(true);
              giveUpLease();
              subscriptions.dispose();
              return null;
            })
        .compose(v -> host == null ? Future.succeededFuture() : host.close())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      if (publisher != null) {
                        publisher.close();
                      }
                      if (log != null) {
                        log.close();
                      }
                      return null;
                    }));
  }
}
