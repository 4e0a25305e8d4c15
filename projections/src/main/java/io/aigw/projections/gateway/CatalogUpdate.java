package io.aigw.projections.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.ObjectMeta;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.core.model.validation.AiResourceValidator;
import io.aigw.core.model.validation.Violation;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.world.WorldObject;
import java.util.List;
import java.util.Optional;
import org.pcollections.PMap;

/**
 * Folds one change of an AI Gateway object into the catalog: a valid version takes effect, an
 * invalid one only records its violations (the version in effect stays), a delete removes both, and
 * so does a version being deleted. An object is normalised once, then validated and read from that
 * one tree; an UPSERT with the same text as the current version (a relist, a resync) is neither
 * parsed nor validated again.
 */
final class CatalogUpdate {

  private CatalogUpdate() {}

  /**
   * One entry's change of an object.
   *
   * @param key the object's key
   * @param event the entry's event
   * @param seq the entry's seq
   * @param previous the version before the entry (null: none)
   * @param unchanged whether the event carries the same object as {@code previous}, so that
   *     everything derived from it is the same too
   * @param prepared what was derived from the object ahead of the fold; null when nothing was
   * @param removed whether the object leaves the catalog: deleted, or being deleted ({@link
   *     BeingDeleted})
   */
  record Change(
      ObjectKey key,
      WatchEvent event,
      long seq,
      WorldObject previous,
      boolean unchanged,
      Prepared prepared,
      boolean removed) {

    /** What is derived from the object: prepared ahead, else now. */
    Prepared object() {
      return prepared != null ? prepared : Prepared.of(event);
    }
  }

  /** Puts the version in effect of one kind into a catalog (null: none). */
  private interface Put<T extends AiResource> {
    Catalog apply(Catalog catalog, ObjectKey key, Versioned<T> version);
  }

  /** A version read from the world: the resource if valid, else why not. */
  record Read(Optional<AiResource> resource, List<String> violations) {}

  static Catalog route(Catalog catalog, Change change) {
    return update(catalog, change, catalog.routes(), AIGatewayRoute.class, Catalog::withRoute);
  }

  static Catalog backend(Catalog catalog, Change change) {
    return update(
        catalog, change, catalog.backends(), AIServiceBackend.class, Catalog::withBackend);
  }

  static Catalog gatewayConfig(Catalog catalog, Change change) {
    return update(
        catalog,
        change,
        catalog.gateways().configs(),
        GatewayConfig.class,
        (c, key, version) -> c.withGateways(c.gateways().withConfig(key, version)));
  }

  static Catalog quotaPolicy(Catalog catalog, Change change) {
    return update(
        catalog,
        change,
        catalog.quotas().policies(),
        QuotaPolicy.class,
        (c, key, version) -> c.withQuotas(c.quotas().with(key, version)));
  }

  static Catalog policy(Catalog catalog, Change change) {
    return update(
        catalog, change, catalog.policies(), BackendSecurityPolicy.class, Catalog::withPolicy);
  }

  private static <T extends AiResource> Catalog update(
      Catalog catalog,
      Change change,
      PMap<ObjectKey, Versioned<T>> inEffect,
      Class<T> type,
      Put<T> put) {
    ObjectKey key = change.key();
    if (change.removed()) {
      return put.apply(catalog, key, null).withViolations(key, List.of());
    }
    if (change.unchanged()) {
      if (catalog.violations().containsKey(key)) {
        // the same violations again, and the version in effect stays
        return catalog;
      }
      Versioned<T> current = inEffect.get(key);
      if (current != null && current.seq() == change.previous().seq()) {
        return put.apply(catalog, key, new Versioned<>(current.resource(), change.seq()));
      }
    }
    // an AI Gateway kind's change: its object is read as one
    Read read = ((Prepared.AiObject) change.object()).read();
    Catalog out = catalog.withViolations(key, read.violations());
    return read.resource()
        .map(r -> put.apply(out, key, new Versioned<>(type.cast(r), change.seq())))
        .orElse(out);
  }

  /** Normalises (in place: {@code parsed} is the caller's, and used up), validates and reads. */
  static Read read(JsonNode parsed, WatchEvent event) {
    Optional<AiResourceReader.Normalized> normalized = AiResourceReader.normalizeInPlace(parsed);
    if (normalized.isEmpty()) {
      return invalid(
          "apiVersion: Unsupported value: \""
              + event.apiVersion()
              + "\": supported values: \""
              + AiResource.V1BETA1
              + "\", \""
              + AiResource.V1ALPHA1
              + "\"");
    }
    List<Violation> violations = AiResourceValidator.validateNormalized(normalized.get());
    if (!violations.isEmpty()) {
      return new Read(Optional.empty(), violations.stream().map(Violation::toString).toList());
    }
    try {
      AiResource resource = AiResourceReader.readNormalized(normalized.get());
      return new Read(Optional.of(withUid(resource, event.uid())), List.of());
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
  }

  private static Read invalid(String message) {
    return new Read(Optional.empty(), List.of(message));
  }

  /** Owner references need the uid; a source that kept it out of the object has it on the event. */
  private static AiResource withUid(AiResource resource, String uid) {
    ObjectMeta meta = resource.metadata();
    if (meta == null || (meta.uid() != null && !meta.uid().isEmpty()) || uid.isEmpty()) {
      return resource;
    }
    ObjectMeta withUid =
        new ObjectMeta(
            meta.name(),
            meta.namespace(),
            uid,
            meta.resourceVersion(),
            meta.generation(),
            meta.labels(),
            meta.annotations(),
            meta.creationTimestamp());
    if (resource instanceof AIGatewayRoute r) {
      return new AIGatewayRoute(r.apiVersion(), r.kind(), withUid, r.spec());
    }
    if (resource instanceof AIServiceBackend b) {
      return new AIServiceBackend(b.apiVersion(), b.kind(), withUid, b.spec());
    }
    if (resource instanceof GatewayConfig g) {
      return new GatewayConfig(g.apiVersion(), g.kind(), withUid, g.spec());
    }
    if (resource instanceof QuotaPolicy q) {
      return new QuotaPolicy(q.apiVersion(), q.kind(), withUid, q.spec());
    }
    BackendSecurityPolicy p = (BackendSecurityPolicy) resource;
    return new BackendSecurityPolicy(p.apiVersion(), p.kind(), withUid, p.spec());
  }
}
