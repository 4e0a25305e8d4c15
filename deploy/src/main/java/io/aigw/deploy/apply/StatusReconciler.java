package io.aigw.deploy.apply;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.Outcome;
import io.aigw.deploy.apply.TargetRecord.Known;
import io.aigw.projections.status.ResourceStatus;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes the status the projection wants on one AI Gateway object. It reads the live object first:
 * the write keeps the live {@code lastTransitionTime} of a condition whose status did not change
 * ({@link StatusPatch}), and a live status that already matches is not written (Noop). An object
 * that no longer exists needs no status.
 */
final class StatusReconciler {

  private final ObjectApi api;
  private final Clock clock;

  StatusReconciler(ObjectApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  CompletionStage<Step> reconcile(
      ObjectKey key, ResourceType type, Optional<ResourceStatus> wanted, Known known) {
    if (wanted.isEmpty() || wanted.equals(known.status())) {
      return CompletableFuture.completedFuture(Step.nothing());
    }
    ResourceStatus status = wanted.get();
    return api.get(type, key.namespace(), key.name())
        .thenCompose(
            live -> {
              if (live.notFound()) {
                return CompletableFuture.completedFuture(Step.nothing());
              }
              if (!live.ok()) {
                return CompletableFuture.completedFuture(ObjectReconciler.failure(live));
              }
              return StatusPatch.of(status, live.json(), clock.instant())
                  .map(patch -> write(key, type, status, CanonicalJson.write(patch)))
                  .orElseGet(
                      () ->
                          CompletableFuture.completedFuture(
                              Step.done(Outcome.NOOP, r -> r.status = wanted)));
            });
  }

  private CompletionStage<Step> write(
      ObjectKey key, ResourceType type, ResourceStatus status, String patch) {
    return api.patchStatus(type, key.namespace(), key.name(), patch)
        .thenApply(
            response -> {
              if (response.ok()) {
                return Step.done(Outcome.PATCHED, r -> r.status = Optional.of(status));
              }
              if (response.notFound()) {
                return Step.nothing();
              }
              return ObjectReconciler.failure(response);
            });
  }
}
