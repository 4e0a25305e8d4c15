package io.aigw.projections.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.ObjectMeta;
import io.aigw.core.model.validation.AiResourceValidator;
import io.aigw.core.model.validation.Violation;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.world.WorldObject;
import io.aigw.projections.world.WorldState;
import java.util.List;
import java.util.Optional;

/**
 * Folds one change of an AI Gateway object into the catalog: a valid version takes effect, an
 * invalid one only records its violations (the version in effect stays), a delete removes both.
 */
final class CatalogUpdate {

  private CatalogUpdate() {}

  /** A version read from the world: the resource if valid, else why not. */
  private record Read(Optional<AiResource> resource, List<String> violations) {}

  static Catalog route(
      Catalog catalog, WorldState world, WatchEvent event, ObjectKey key, long seq) {
    if (event.type() == EventType.DELETE) {
      return catalog.withRoute(key, null).withViolations(key, List.of());
    }
    Read read = read(world, key, event);
    Catalog out = catalog.withViolations(key, read.violations());
    return read.resource()
        .map(r -> out.withRoute(key, new Versioned<>((AIGatewayRoute) r, seq)))
        .orElse(out);
  }

  static Catalog backend(
      Catalog catalog, WorldState world, WatchEvent event, ObjectKey key, long seq) {
    if (event.type() == EventType.DELETE) {
      return catalog.withBackend(key, null).withViolations(key, List.of());
    }
    Read read = read(world, key, event);
    Catalog out = catalog.withViolations(key, read.violations());
    return read.resource()
        .map(r -> out.withBackend(key, new Versioned<>((AIServiceBackend) r, seq)))
        .orElse(out);
  }

  static Catalog policy(
      Catalog catalog, WorldState world, WatchEvent event, ObjectKey key, long seq) {
    if (event.type() == EventType.DELETE) {
      return catalog.withPolicy(key, null).withViolations(key, List.of());
    }
    Read read = read(world, key, event);
    Catalog out = catalog.withViolations(key, read.violations());
    return read.resource()
        .map(r -> out.withPolicy(key, new Versioned<>((BackendSecurityPolicy) r, seq)))
        .orElse(out);
  }

  private static Read read(WorldState world, ObjectKey key, WatchEvent event) {
    Optional<WorldObject> current = world.get(key);
    if (current.isEmpty()) {
      return new Read(Optional.empty(), List.of());
    }
    JsonNode raw = current.get().object();
    if (AiResourceReader.aiKind(raw).isEmpty()) {
      return invalid(
          "apiVersion: Unsupported value: \""
              + event.apiVersion()
              + "\": supported values: \""
              + AiResource.V1BETA1
              + "\", \""
              + AiResource.V1ALPHA1
              + "\"");
    }
    List<String> violations =
        AiResourceValidator.validate(raw).stream().map(Violation::toString).toList();
    if (!violations.isEmpty()) {
      return new Read(Optional.empty(), violations);
    }
    try {
      return AiResourceReader.read(raw)
          .map(resource -> new Read(Optional.of(withUid(resource, event.uid())), List.of()))
          .orElseGet(() -> invalid("not an AI Gateway object"));
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
    BackendSecurityPolicy p = (BackendSecurityPolicy) resource;
    return new BackendSecurityPolicy(p.apiVersion(), p.kind(), withUid, p.spec());
  }
}
