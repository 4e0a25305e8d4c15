package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.projections.filterconfig.GatewayConfigBinding;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.world.ReferenceGrants;
import io.aigw.projections.world.WorldState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.pcollections.PSet;

/** {@link References} over a catalog and the world it was built from; lookups are logarithmic. */
final class CatalogReferences implements References {

  private static final ReferenceGrants.Kind ROUTE =
      new ReferenceGrants.Kind(AiResource.GROUP, "AIGatewayRoute");
  private static final ReferenceGrants.Kind BACKEND =
      new ReferenceGrants.Kind(AiResource.GROUP, "AIServiceBackend");

  /** Gateway API policy precedence: the oldest first, then by namespace/name. */
  private static final Comparator<Versioned<BackendSecurityPolicy>> PRECEDENCE =
      Comparator.<Versioned<BackendSecurityPolicy>, Instant>comparing(
              p -> Precedence.created(p.resource().metadata().creationTimestamp()))
          .thenComparing(Versioned::ref);

  private final Catalog catalog;
  private final WorldState world;

  CatalogReferences(Catalog catalog, WorldState world) {
    this.catalog = catalog;
    this.world = world;
  }

  @Override
  public Optional<Versioned<AIServiceBackend>> backend(ObjectKey key) {
    return Optional.ofNullable(catalog.backends().get(key));
  }

  @Override
  public boolean rejected(ObjectKey key) {
    return catalog.violations().containsKey(key) && !catalog.backends().containsKey(key);
  }

  @Override
  public List<Versioned<BackendSecurityPolicy>> policiesOf(ObjectKey backendKey) {
    PSet<ObjectKey> keys = catalog.policiesByBackend().get(backendKey);
    if (keys == null) {
      return List.of();
    }
    List<Versioned<BackendSecurityPolicy>> policies = new ArrayList<>(keys.size());
    for (ObjectKey key : keys) {
      policies.add(catalog.policies().get(key));
    }
    policies.sort(PRECEDENCE);
    return policies;
  }

  @Override
  public List<Versioned<QuotaPolicy>> quotasOf(ObjectKey backendKey) {
    return catalog.quotas().of(backendKey);
  }

  @Override
  public Optional<Long> grant(String fromNamespace, String toNamespace, String backendName) {
    return ReferenceGrants.find(world, ROUTE, fromNamespace, BACKEND, toNamespace, backendName);
  }

  @Override
  public GatewayConfigBinding gatewayConfigOf(Versioned<AIGatewayRoute> route) {
    return catalog.gateways().bindingOf(route, catalog.violations().keySet());
  }

  @Override
  public Optional<BackendHost> backendHost(Versioned<AIServiceBackend> backend) {
    return Optional.ofNullable(
        catalog.envoyBackends().hosts().get(Catalog.envoyBackendOf(backend)));
  }

  @Override
  public Optional<SecretKeys> secret(String namespace, String name) {
    return Optional.ofNullable(catalog.secrets().get(Catalog.secretKey(namespace, name)));
  }
}
