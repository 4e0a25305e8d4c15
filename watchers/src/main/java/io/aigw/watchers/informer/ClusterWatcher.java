package io.aigw.watchers.informer;

import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.watchers.dedupe.RelistDeduplicator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.processors.UnicastProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as a source of the log: one fabric8 informer per watched kind (per namespace when the
 * namespaces are listed, else one across all), every add, update and delete turned into a {@link
 * WatchEvent} on {@link #events()}.
 *
 * <ul>
 *   <li>Duplicates are dropped: a relist, a resync or a reconnect that repeats what was recorded
 *       emits nothing ({@link RelistDeduplicator}, seeded with what the log already holds, so a
 *       restart emits only what changed while aigw was away).
 *   <li>Objects the log holds but the first list does not (deleted while aigw was away) get a
 *       DELETE once every informer has listed; {@link #start()} completes after that.
 *   <li>Failures are retried, never fatal: fabric8 reconnects a dropped watch with exponential
 *       backoff and relists on {@code 410 Gone}; a failed list (even the first) is retried the same
 *       way.
 * </ul>
 *
 * Events are emitted in the order they are admitted, one at a time, from the watcher's own thread.
 */
public final class ClusterWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatcher.class);

  private final KubernetesClient client;
  private final String source;
  private final List<WatchedKind> kinds;
  private final Set<String> namespaces;
  private final Map<ObjectKey, WatchEvent> recorded;
  private final Duration resync;
  private final long pageSize;
  private final RelistDeduplicator dedupe;
  private final Map<ObjectKey, String> lastVersions = new HashMap<>();
  private final UnicastProcessor<WatchEvent> events = UnicastProcessor.create();
  private final Object emitting = new Object();
  private final Map<WatchedKind, List<SharedIndexInformer<GenericKubernetesResource>>> informers =
      new LinkedHashMap<>();
  private final CompletableFuture<Void> synced = new CompletableFuture<>();

  /**
   * Converts, de-duplicates and emits, one notification at a time: never on the informers' own
   * threads, which may be event loops (conversion costs a JSON round trip, and the catch-up after
   * the first lists converts every object).
   */
  private final ExecutorService emitter =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "aigw-watch");
            thread.setDaemon(true);
            return thread;
          });

  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong repeated = new AtomicLong();
  private final AtomicLong unreadable = new AtomicLong();
  private volatile boolean closed;

  private ClusterWatcher(Builder builder) {
    this.client = builder.client;
    this.source = builder.source;
    this.kinds = List.copyOf(builder.kinds);
    this.namespaces = new TreeSet<>(builder.namespaces);
    this.resync = builder.resync;
    this.pageSize = builder.pageSize;
    Map<ObjectKey, WatchEvent> inScope = new TreeMap<>();
    builder.recorded.forEach(
        (key, event) -> {
          if (inScope(key)) {
            inScope.put(key, event);
          }
        });
    this.recorded = inScope;
    this.dedupe = new RelistDeduplicator(inScope);
    inScope.forEach(
        (key, event) -> lastVersions.put(key, event.uid() + "/" + event.resourceVersion()));
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /**
   * Every admitted change, in order. A single subscriber; events emitted before it subscribes are
   * buffered. Completes on {@link #close()}.
   */
  public Flowable<WatchEvent> events() {
    return events;
  }

  /**
   * Starts every informer. Completes once all have listed and the DELETEs of objects that vanished
   * meanwhile are emitted: from then on the log can be folded into a true picture of the cluster.
   */
  public synchronized CompletableFuture<Void> start() {
    if (!informers.isEmpty() || closed) {
      return synced;
    }
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (WatchedKind kind : kinds) {
      List<SharedIndexInformer<GenericKubernetesResource>> ofKind = new ArrayList<>();
      for (Informable<GenericKubernetesResource> scope : scopes(kind)) {
        SharedIndexInformer<GenericKubernetesResource> informer =
            (pageSize > 0 ? scope.withLimit(pageSize) : scope).runnableInformer(resync.toMillis());
        informer.exceptionHandler((wasStarted, error) -> retrying(kind, error));
        informer.addEventHandler(new KindHandler(kind, informer));
        ofKind.add(informer);
        started.add(informer.start().toCompletableFuture());
      }
      informers.put(kind, ofKind);
    }
    LOG.atInfo()
        .addKeyValue("source", source)
        .addKeyValue("namespaces", namespaces.isEmpty() ? "all" : namespaces)
        .addKeyValue("recorded", recorded.size())
        .log("starting {} informers", started.size());
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
        .whenCompleteAsync(
            (v, error) -> {
              if (error != null) {
                synced.completeExceptionally(error);
              } else {
                catchUp();
                synced.complete(null);
              }
            },
            emitter);
    return synced;
  }

  /** True once {@link #start()} has completed. */
  public boolean isSynced() {
    return synced.isDone() && !synced.isCompletedExceptionally();
  }

  /** True while every informer is watching (false during a reconnect or relist). */
  public boolean isWatching() {
    return !informers.isEmpty()
        && informers.values().stream().flatMap(List::stream).allMatch(i -> i.isWatching());
  }

  /** Counters: events admitted, repeats dropped, objects that could not be read. */
  public WatcherCounts counts() {
    return new WatcherCounts(admitted.get(), repeated.get(), unreadable.get());
  }

  public String source() {
    return source;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      informers.values().forEach(list -> list.forEach(SharedIndexInformer::stop));
    }
    emitter.shutdownNow();
    synchronized (emitting) {
      events.onComplete();
    }
    synced.completeExceptionally(new IllegalStateException("watcher closed"));
  }

  private List<Informable<GenericKubernetesResource>> scopes(WatchedKind kind) {
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        operation = client.genericKubernetesResources(kind.context());
    List<Informable<GenericKubernetesResource>> scopes = new ArrayList<>();
    boolean secrets = kind.equals(WatchedKind.SECRET);
    if (namespaces.isEmpty()) {
      var all = operation.inAnyNamespace();
      scopes.add(secrets ? UnwatchedSecrets.leftOut(all) : all);
    } else {
      for (String namespace : namespaces) {
        var one = operation.inNamespace(namespace);
        scopes.add(secrets ? UnwatchedSecrets.leftOut(one) : one);
      }
    }
    return scopes;
  }

  private boolean retrying(WatchedKind kind, Throwable error) {
    if (!closed) {
      LOG.atWarn()
          .addKeyValue("kind", kind)
          .log("list or watch failed, retrying with backoff: {}", error.toString());
    }
    return !closed;
  }

  private boolean inScope(ObjectKey key) {
    return (namespaces.isEmpty() || namespaces.contains(key.namespace()))
        && kinds.stream().anyMatch(kind -> kind.matches(key));
  }

  /**
   * Emits what every informer has listed, then a DELETE for what the log holds and the lists did
   * not return. The informers' own notifications of the same objects arrive later, on their
   * threads, and are dropped as repeats; doing it here means that when {@link #start()} completes,
   * every listed object has been emitted.
   */
  private void catchUp() {
    informers.forEach(
        (kind, ofKind) ->
            ofKind.forEach(
                informer -> informer.getStore().list().forEach(object -> upsert(kind, object))));
    int vanished = 0;
    for (Map.Entry<ObjectKey, WatchEvent> entry : recorded.entrySet()) {
      ObjectKey key = entry.getKey();
      if (entry.getValue().type() == EventType.UPSERT && !listed(key)) {
        vanished++;
        admit(ClusterEvents.deleted(entry.getValue()));
      }
    }
    LOG.atInfo()
        .addKeyValue("source", source)
        .addKeyValue("admitted", admitted.get())
        .addKeyValue("repeated", repeated.get())
        .addKeyValue("vanished", vanished)
        .log("informers synced");
  }

  private boolean listed(ObjectKey key) {
    String storeKey = key.namespace() + "/" + key.name();
    for (WatchedKind kind : kinds) {
      if (kind.matches(key)) {
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.get(kind)) {
          if (informer.getStore().getByKey(storeKey) != null) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Level-triggered: a notification only says that an object changed; what is emitted is the
   * informer's current version of it (or its deletion when the cache no longer has it). Older
   * versions still queued behind a newer one are thereby never emitted after it.
   */
  private void changed(
      WatchedKind kind,
      SharedIndexInformer<GenericKubernetesResource> informer,
      GenericKubernetesResource notified) {
    GenericKubernetesResource current = informer.getStore().get(notified);
    if (current != null) {
      upsert(kind, current);
    } else {
      emit(kind, notified, EventType.DELETE);
    }
  }

  private void upsert(WatchedKind kind, GenericKubernetesResource object) {
    ObjectKey key =
        new ObjectKey(
            kind.group(),
            kind.kind(),
            nullToEmpty(object.getMetadata().getNamespace()),
            object.getMetadata().getName());
    String version =
        object.getMetadata().getUid() + "/" + object.getMetadata().getResourceVersion();
    synchronized (emitting) {
      // the fast path of a repeat: same uid and resourceVersion as the last event of the key
      if (version.equals(lastVersions.get(key))) {
        repeated.incrementAndGet();
        return;
      }
    }
    emit(kind, object, EventType.UPSERT);
  }

  private void emit(WatchedKind kind, GenericKubernetesResource object, EventType type) {
    if (UnwatchedSecrets.excludes(kind, object)) {
      return;
    }
    WatchEvent event;
    try {
      String json = client.getKubernetesSerialization().asJson(object);
      event = ClusterEvents.of(source, kind, json, type);
    } catch (RuntimeException e) {
      // never the object itself in the message: it may be a Secret
      unreadable.incrementAndGet();
      LOG.atWarn()
          .addKeyValue("kind", kind)
          .addKeyValue("namespace", object.getMetadata().getNamespace())
          .addKeyValue("name", object.getMetadata().getName())
          .log("object skipped: {}", e.getMessage());
      return;
    }
    admit(event);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  private void admit(WatchEvent event) {
    synchronized (emitting) {
      if (closed) {
        return;
      }
      lastVersions.put(event.key(), event.uid() + "/" + event.resourceVersion());
      if (dedupe.admit(event)) {
        admitted.incrementAndGet();
        events.onNext(event);
      } else {
        repeated.incrementAndGet();
      }
    }
  }

  /** Routes one informer's notifications, all of one kind. */
  private final class KindHandler implements ResourceEventHandler<GenericKubernetesResource> {

    private final WatchedKind kind;
    private final SharedIndexInformer<GenericKubernetesResource> informer;

    KindHandler(WatchedKind kind, SharedIndexInformer<GenericKubernetesResource> informer) {
      this.kind = kind;
      this.informer = informer;
    }

    @Override
    public void onAdd(GenericKubernetesResource object) {
      handOff(object);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      handOff(after);
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
      handOff(object);
    }

    private void handOff(GenericKubernetesResource object) {
      try {
        emitter.execute(() -> changed(kind, informer, object));
      } catch (RejectedExecutionException e) {
        // closed
      }
    }
  }

  /** How a {@link ClusterWatcher} is set up. */
  public static final class Builder {

    private final KubernetesClient client;
    private String source = "k8s:in-cluster";
    private List<WatchedKind> kinds = WatchedKind.ALL;
    private Set<String> namespaces = Set.of();
    private Map<ObjectKey, WatchEvent> recorded = Map.of();
    private Duration resync = Duration.ZERO;
    private long pageSize = 500;

    private Builder(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** {@code k8s:<context>} or {@code k8s:in-cluster}: the source of every event. */
    public Builder source(String value) {
      this.source = Objects.requireNonNull(value, "source");
      return this;
    }

    public Builder kinds(List<WatchedKind> value) {
      this.kinds = List.copyOf(value);
      return this;
    }

    /** The namespaces to watch; empty (the default) means all. */
    public Builder namespaces(Iterable<String> value) {
      Set<String> copy = new TreeSet<>();
      value.forEach(copy::add);
      this.namespaces = copy;
      return this;
    }

    /** What the log already holds, by key: the current objects after a replay. */
    public Builder recorded(Map<ObjectKey, WatchEvent> value) {
      this.recorded = Map.copyOf(value);
      return this;
    }

    /**
     * How often each informer re-delivers its cache (each repeat is dropped as a duplicate); zero,
     * the default, turns resync off.
     */
    public Builder resync(Duration value) {
      this.resync = Objects.requireNonNull(value, "resync");
      return this;
    }

    /** Objects per list page; 0 lists everything at once. */
    public Builder pageSize(long value) {
      this.pageSize = value;
      return this;
    }

    public ClusterWatcher build() {
      return new ClusterWatcher(this);
    }
  }
}
