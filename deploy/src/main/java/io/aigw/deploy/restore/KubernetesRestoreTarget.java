package io.aigw.deploy.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.admin.api.RestoreException;
import io.aigw.admin.api.RestoreOutcome;
import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.api.RestoredObject;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.deploy.apply.ApiResponse;
import io.aigw.deploy.apply.ObjectApi;
import io.aigw.deploy.apply.ResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The restore of {@code aigw controller}: puts an AIGatewayRoute, AIServiceBackend,
 * BackendSecurityPolicy, GatewayConfig or QuotaPolicy back into the API server as the log recorded
 * it at some seq, and the informers record the change as the next entries, like any edit (the log
 * stays append-only).
 *
 * <p>The whole object is written (create when it was deleted, else update under the live
 * resourceVersion), not a server-side apply: an apply would only set the fields it carries, and a
 * field someone added since the restored version would survive the restore. Only the five AI
 * Gateway kinds are restorable: Secrets are refused (the log holds digests, never values), and what
 * aigw generates is the applier's to write, not the operator's.
 */
public final class KubernetesRestoreTarget implements RestoreTarget {

  static final String TARGET = "API server";

  private static final List<ResourceType> RESTORABLE = ResourceType.WITH_STATUS;
  private static final int ATTEMPTS = 3;

  private final ObjectApi api;
  private final Duration timeout;

  /**
   * @param api the API server, as the applier reaches it
   * @param timeout how long one call may take before the restore fails
   */
  public KubernetesRestoreTarget(ObjectApi api, Duration timeout) {
    this.api = api;
    this.timeout = timeout;
  }

  @Override
  public RestoreOutcome restore(RestoredObject restored) throws RestoreException {
    ObjectKey key = restored.key();
    ResourceType type = restorableType(restored);
    if (key.namespace().isEmpty()) {
      throw new RestoreException(
          RestoreException.Reason.NOT_RESTORABLE, key + " has no namespace to restore it into");
    }
    ObjectNode wanted = DirectoryRestoreTarget.manifest(restored.object());
    wanted.put("apiVersion", restored.apiVersion());
    wanted.put("kind", key.kind());
    ObjectNode metadata = wanted.withObjectProperty("metadata");
    metadata.put("namespace", key.namespace());
    metadata.put("name", key.name());
    // a stale owner or finalizer of the old object must not be carried over to the new one
    metadata.remove(List.of("ownerReferences", "finalizers"));
    for (int attempt = 1; ; attempt++) {
      Optional<RestoreOutcome> outcome = attempt(type, key, wanted);
      if (outcome.isPresent()) {
        return outcome.get();
      }
      if (attempt == ATTEMPTS) {
        throw new RestoreException(
            RestoreException.Reason.FAILED,
            key + " kept changing while it was restored (" + ATTEMPTS + " conflicts); try again");
      }
    }
  }

  private static ResourceType restorableType(RestoredObject restored) throws RestoreException {
    ObjectKey key = restored.key();
    for (ResourceType type : RESTORABLE) {
      if (type.matches(key)) {
        // the version the log recorded, so that its fields mean what they meant then
        return new ResourceType(restored.apiVersion(), type.kind(), type.plural());
      }
    }
    String why =
        key.group().isEmpty() && "Secret".equals(key.kind())
            ? "a Secret cannot be restored: the log holds a digest of each value, never the value"
            : "only AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, GatewayConfig and"
                + " QuotaPolicy objects can be restored into the cluster, not "
                + key.kind();
    throw new RestoreException(RestoreException.Reason.NOT_RESTORABLE, why);
  }

  /** One read-then-write; empty when the write lost a race (409) and should be tried again. */
  private Optional<RestoreOutcome> attempt(ResourceType type, ObjectKey key, ObjectNode wanted)
      throws RestoreException {
    ApiResponse live = call(api.get(type, key.namespace(), key.name()), key);
    if (live.notFound()) {
      ApiResponse created =
          call(api.create(type, key.namespace(), CanonicalJson.write(wanted)), key);
      if (created.conflict()) {
        return Optional.empty();
      }
      check(created, key);
      return Optional.of(
          new RestoreOutcome(true, TARGET, key + " no longer existed; created it again"));
    }
    check(live, key);
    JsonNode current = live.json();
    if (DirectoryRestoreTarget.manifest(current).equals(comparable(wanted, current))) {
      return Optional.of(
          new RestoreOutcome(false, TARGET, "the API server already has that version"));
    }
    ObjectNode update = wanted.deepCopy();
    update
        .withObjectProperty("metadata")
        .put("resourceVersion", current.at("/metadata/resourceVersion").asText());
    ApiResponse replaced =
        call(api.replace(type, key.namespace(), key.name(), CanonicalJson.write(update)), key);
    if (replaced.conflict()) {
      return Optional.empty();
    }
    check(replaced, key);
    return Optional.of(new RestoreOutcome(true, TARGET, "replaced the live object"));
  }

  /** {@code wanted} with what the live object keeps regardless (its owners and finalizers). */
  private static ObjectNode comparable(ObjectNode wanted, JsonNode live) {
    ObjectNode copy = wanted.deepCopy();
    ObjectNode metadata = copy.withObjectProperty("metadata");
    for (String kept : List.of("ownerReferences", "finalizers")) {
      JsonNode value = live.path("metadata").get(kept);
      if (value != null) {
        metadata.set(kept, value.deepCopy());
      }
    }
    return copy;
  }

  private static void check(ApiResponse response, ObjectKey key) throws RestoreException {
    if (response.ok()) {
      return;
    }
    // the server refusing the object (invalid, forbidden) is the operator's to fix: a 4xx
    boolean refused = response.code() >= 400 && response.code() < 500 && !response.retryable();
    throw new RestoreException(
        refused ? RestoreException.Reason.NOT_RESTORABLE : RestoreException.Reason.FAILED,
        "the API server refused " + key + ": " + response.reason());
  }

  private ApiResponse call(CompletionStage<ApiResponse> call, ObjectKey key)
      throws RestoreException {
    try {
      return call.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestoreException(RestoreException.Reason.FAILED, "interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new RestoreException(
          RestoreException.Reason.FAILED,
          "the API server did not answer for " + key + ": " + cause,
          cause);
    }
  }
}
