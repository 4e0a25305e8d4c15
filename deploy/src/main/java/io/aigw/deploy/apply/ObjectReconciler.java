package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.Outcome;
import io.aigw.deploy.apply.TargetRecord.Existence;
import io.aigw.deploy.apply.TargetRecord.Known;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brings one owned object in line with its desired version, or deletes it when nothing wants it any
 * more. Two ways to write, chosen by the applier:
 *
 * <ul>
 *   <li>server-side apply (the production path): one {@code PATCH} with field manager {@code aigw},
 *       forced, of a body that holds only the fields aigw sets, so forcing takes back only aigw's
 *       own fields from whoever edited them;
 *   <li>the fallback for servers without it (answering {@code 415}, or {@code 404} where a create
 *       then succeeds): read, then create, or update under the live resourceVersion with aigw's
 *       fields put over the live object; a read that already matches writes nothing (Noop).
 * </ul>
 *
 * Either way, an object the applier has not seen as its own is read before the first write, and one
 * that exists but is not aigw's ({@link Ownership}) is left alone and recorded as Failed with the
 * reason: a forced apply would take it over, and a later prune would delete it.
 */
final class ObjectReconciler {

  private final ObjectApi api;

  ObjectReconciler(ObjectApi api) {
    this.api = api;
  }

  CompletionStage<Step> reconcile(
      ObjectKey key, ResourceType type, Optional<JsonNode> desired, Known known, boolean ssa) {
    if (desired.isEmpty()) {
      return prune(key, type, known);
    }
    AppliedObject applied = AppliedObject.of(desired.get());
    if (known.existence() == Existence.EXISTS
        && applied.hash().equals(known.appliedHash())
        && known.drift().isEmpty()) {
      return done(Step.nothing());
    }
    if (!ssa) {
      return applyByUpdate(key, type, applied, known);
    }
    return known.existence() == Existence.EXISTS
        ? applyServerSide(key, type, applied, known)
        : claimThenApply(key, type, applied, known);
  }

  /** Applies unless an object of that name exists that is not aigw's. */
  private CompletionStage<Step> claimThenApply(
      ObjectKey key, ResourceType type, AppliedObject applied, Known known) {
    return api.get(type, key.namespace(), key.name())
        .thenCompose(
            response -> {
              if (!response.ok() && !response.notFound()) {
                return done(failure(response));
              }
              if (response.ok()) {
                Optional<String> refusal = Ownership.refusal(key, applied.body(), response.json());
                if (refusal.isPresent()) {
                  return done(Step.failed(refusal.get()));
                }
              }
              return applyServerSide(key, type, applied, known);
            });
  }

  private CompletionStage<Step> applyServerSide(
      ObjectKey key, ResourceType type, AppliedObject applied, Known known) {
    String body = CanonicalJson.write(applied.body());
    return api.apply(type, key.namespace(), key.name(), body, true)
        .thenCompose(
            response -> {
              if (response.ok()) {
                Outcome outcome = response.created() ? Outcome.CREATED : Outcome.PATCHED;
                return done(Step.done(outcome, known.drift(), r -> r.applied(applied.hash())));
              }
              if (response.unsupportedMediaType()) {
                return done(Step.ssaUnsupported());
              }
              if (response.notFound()) {
                return createAfterApplyNotFound(key, type, applied, response);
              }
              return done(failure(response));
            });
  }

  /**
   * A {@code 404} to an apply means either that the server does not implement apply for absent
   * objects (fabric8's mock) or that the kind or namespace does not exist. A create tells which.
   */
  private CompletionStage<Step> createAfterApplyNotFound(
      ObjectKey key, ResourceType type, AppliedObject applied, ApiResponse applyResponse) {
    return api.create(type, key.namespace(), CanonicalJson.write(applied.body()))
        .thenApply(
            created -> {
              if (created.ok()) {
                return Step.ssaUnsupported(
                    Optional.of(Outcome.CREATED), r -> r.applied(applied.hash()));
              }
              if (created.conflict()) {
                return Step.ssaUnsupported(Optional.empty(), r -> r.existence = Existence.UNKNOWN);
              }
              return created.notFound() ? Step.failed(applyResponse.reason()) : failure(created);
            });
  }

  private CompletionStage<Step> applyByUpdate(
      ObjectKey key, ResourceType type, AppliedObject applied, Known known) {
    if (known.existence() == Existence.ABSENT) {
      return create(key, type, applied, known.drift());
    }
    return api.get(type, key.namespace(), key.name())
        .thenCompose(
            response -> {
              if (response.notFound()) {
                return create(key, type, applied, known.drift());
              }
              if (!response.ok()) {
                return done(failure(response));
              }
              JsonNode live = response.json();
              Optional<String> refusal = Ownership.refusal(key, applied.body(), live);
              if (refusal.isPresent()) {
                return done(Step.failed(refusal.get()));
              }
              if (applied.matches(live)) {
                return done(Step.done(Outcome.NOOP, r -> r.applied(applied.hash())));
              }
              return update(key, type, applied, live, known.drift());
            });
  }

  private CompletionStage<Step> create(
      ObjectKey key, ResourceType type, AppliedObject applied, String drift) {
    return api.create(type, key.namespace(), CanonicalJson.write(applied.body()))
        .thenApply(
            response -> {
              if (response.ok()) {
                return Step.done(Outcome.CREATED, drift, r -> r.applied(applied.hash()));
              }
              if (response.conflict()) {
                // it exists after all (created meanwhile): read it on the next attempt
                return Step.retryLater(response.reason(), r -> r.existence = Existence.UNKNOWN);
              }
              return failure(response);
            });
  }

  private CompletionStage<Step> update(
      ObjectKey key, ResourceType type, AppliedObject applied, JsonNode live, String drift) {
    String body = CanonicalJson.write(applied.updateOf(live));
    return api.replace(type, key.namespace(), key.name(), body)
        .thenApply(
            response -> {
              if (response.ok()) {
                return Step.done(Outcome.PATCHED, drift, r -> r.applied(applied.hash()));
              }
              if (response.notFound()) {
                return Step.retryLater(response.reason(), r -> r.existence = Existence.ABSENT);
              }
              return failure(response);
            });
  }

  private CompletionStage<Step> prune(ObjectKey key, ResourceType type, Known known) {
    if (known.existence() == Existence.ABSENT) {
      return done(Step.nothing());
    }
    if (known.existence() == Existence.UNKNOWN) {
      return pruneIfOwned(key, type);
    }
    return delete(key, type);
  }

  /** Deletes only an object labelled as aigw's: what aigw never saw as its own is not pruned. */
  private CompletionStage<Step> pruneIfOwned(ObjectKey key, ResourceType type) {
    return api.get(type, key.namespace(), key.name())
        .thenCompose(
            response -> {
              if (response.notFound()) {
                return done(Step.nothing(TargetRecord::gone));
              }
              if (!response.ok()) {
                return done(failure(response));
              }
              return Ownership.refusal(key, MissingNode.getInstance(), response.json()).isPresent()
                  ? done(Step.nothing(TargetRecord::gone))
                  : delete(key, type);
            });
  }

  private CompletionStage<Step> delete(ObjectKey key, ResourceType type) {
    return api.delete(type, key.namespace(), key.name())
        .thenApply(
            response -> {
              if (response.ok()) {
                return Step.done(Outcome.DELETED, TargetRecord::gone);
              }
              if (response.notFound()) {
                return Step.nothing(TargetRecord::gone);
              }
              return failure(response);
            });
  }

  /** A retry for what may pass later (409, 429, 5xx), a failure for the rest. */
  static Step failure(ApiResponse response) {
    return response.retryable()
        ? Step.retryLater(response.reason())
        : Step.failed(response.reason());
  }

  private static CompletionStage<Step> done(Step step) {
    return CompletableFuture.completedFuture(step);
  }
}
