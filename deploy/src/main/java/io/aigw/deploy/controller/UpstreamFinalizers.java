package io.aigw.deploy.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.AiResource;
import io.aigw.projections.gateway.BeingDeleted;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.reactivex.rxjava3.disposables.Disposable;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes upstream's finalizer ({@value #FINALIZER}) off AI Gateway objects being deleted. Upstream's
 * controller puts it on every AIGatewayRoute, AIServiceBackend and BackendSecurityPolicy it
 * reconciles and takes it off once a delete has reached the Gateways. A cluster that moved from
 * upstream to aigw keeps it on those objects, and with no upstream controller left to take it off,
 * their deletes would wait for ever.
 *
 * <p>aigw needs no finalizer of its own: a delete reaches the log from the watch, or from the
 * relist when aigw was away. So the finalizer is released once the log holds the object being
 * deleted, by which time the fold counts it as deleted. Run by the leader only; calls are made on a
 * thread of its own; a failed one is tried again, backing off to every 30 s, until the object is
 * gone or has changed (its new version comes through the log).
 */
final class UpstreamFinalizers implements AutoCloseable {

  static final String FINALIZER = "aigateway.envoyproxy.io/finalizer";

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamFinalizers.class);
  private static final int WARN_AFTER = 5;
  private static final long FIRST_RETRY_MILLIS = 500;
  private static final long MAX_RETRY_MILLIS = 30_000;

  private final KubernetesClient client;
  private final ScheduledExecutorService calls;
  // the latest version seen of each object being released, by uid, and the uids with a call
  // scheduled: a relist or a second entry of the same object costs no second call, and a retry
  // uses the newest version
  private final Map<String, Seen> pending = new ConcurrentHashMap<>();
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private Disposable changes = Disposable.empty();

  private UpstreamFinalizers(KubernetesClient client) {
    this.client = client;
    this.calls =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "aigw-finalizers");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Releases what the fold holds being deleted now, then what the log brings later. */
  static UpstreamFinalizers start(KubernetesClient client, ProjectionHost<GatewayState> host) {
    UpstreamFinalizers finalizers = new UpstreamFinalizers(client);
    finalizers.changes =
        host.changes()
            .subscribe(
                change -> {
                  if (change.entry().event() instanceof WatchEvent event) {
                    finalizers.consider(change.seq(), event);
                  }
                },
                error -> LOG.atWarn().log("no longer following the log: {}", error.toString()));
    ObjectKey from = new ObjectKey(AiResource.GROUP, "", "", "");
    ObjectKey to = new ObjectKey(AiResource.GROUP + '\0', "", "", "");
    host.current()
        .world()
        .objects()
        .subMap(from, to)
        .values()
        .forEach(object -> finalizers.consider(object.seq(), object.event()));
    return finalizers;
  }

  /** A version of an object, recorded at {@code seq}. */
  private record Seen(long seq, WatchEvent event) {}

  private void consider(long seq, WatchEvent event) {
    // most entries are ruled out without parsing: a finalizer is named in the text or not there
    if (!AiResource.GROUP.equals(ObjectKey.groupOf(event.apiVersion()))
        || !event.objectJson().contains(FINALIZER)
        || !BeingDeleted.test(event)) {
      return;
    }
    // the fold's snapshot and the log's changes may hand over versions in either order
    pending.merge(
        event.uid(), new Seen(seq, event), (old, now) -> now.seq() >= old.seq() ? now : old);
    if (scheduled.add(event.uid())) {
      submit(event.uid(), 1, 0);
    }
  }

  private void submit(String uid, int attempt, long delayMillis) {
    try {
      calls.schedule(() -> release(uid, attempt), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      scheduled.remove(uid);
    }
  }

  private void release(String uid, int attempt) {
    Seen seen = pending.get(uid);
    if (seen == null) {
      scheduled.remove(uid);
      return;
    }
    WatchEvent event = seen.event();
    try {
      patch(event).ifPresent(patch -> call(event, patch));
      finish(uid, seen);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409 || e.getCode() == 422) {
        // gone, or changed since
        finish(uid, seen);
      } else {
        retry(uid, event, attempt, "HTTP " + e.getCode() + ": " + e.getMessage());
      }
    } catch (RuntimeException e) {
      retry(uid, event, attempt, e.toString());
    }
  }

  private void retry(String uid, WatchEvent event, int attempt, String why) {
    if (attempt == WARN_AFTER) {
      LOG.atWarn()
          .addKeyValue("object", event.key())
          .log(
              "cannot release upstream's finalizer ({}); its delete waits, and aigw keeps trying",
              why);
    }
    submit(
        uid,
        attempt + 1,
        Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 6)));
  }

  /** Finished with {@code seen}; a newer version of the object seen meanwhile is tried at once. */
  private void finish(String uid, Seen seen) {
    pending.remove(uid, seen);
    scheduled.remove(uid);
    if (pending.containsKey(uid) && scheduled.add(uid)) {
      submit(uid, 1, 0);
    }
  }

  /**
   * The JSON patch that takes the finalizer off this very object where it was seen, if the object
   * is being deleted and has it: anything that changed the object since makes the patch fail, and
   * its new version comes through the log.
   */
  private static Optional<String> patch(WatchEvent event) {
    JsonNode metadata = CanonicalJson.read(event.objectJson()).path("metadata");
    int index = indexOf(metadata.path("finalizers"));
    if (!metadata.hasNonNull("deletionTimestamp") || index < 0) {
      return Optional.empty();
    }
    String at = "/metadata/finalizers/" + index;
    ArrayNode ops = CanonicalJson.mapper().createArrayNode();
    ops.addObject().put("op", "test").put("path", "/metadata/uid").put("value", event.uid());
    ops.addObject().put("op", "test").put("path", at).put("value", FINALIZER);
    ops.addObject().put("op", "remove").put("path", at);
    return Optional.of(CanonicalJson.write(ops));
  }

  private void call(WatchEvent event, String patch) {
    client
        .genericKubernetesResources(event.apiVersion(), event.kind())
        .inNamespace(event.namespace())
        .withName(event.name())
        .patch(PatchContext.of(PatchType.JSON), patch);
    LOG.atInfo()
        .addKeyValue("object", event.key())
        .log("released upstream's finalizer {} of an object being deleted", FINALIZER);
  }

  private static int indexOf(JsonNode finalizers) {
    for (int i = 0; i < finalizers.size(); i++) {
      if (FINALIZER.equals(finalizers.get(i).asText())) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    changes.dispose();
    calls.shutdownNow();
  }
}
