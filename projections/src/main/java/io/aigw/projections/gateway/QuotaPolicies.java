package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.world.HashTrie;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * The QuotaPolicies in effect and the AIServiceBackends each targets. Empty index entries are
 * removed.
 *
 * @param policies QuotaPolicy key → the version in effect
 * @param byBackend AIServiceBackend key → the QuotaPolicies targeting it
 */
record QuotaPolicies(
    PMap<ObjectKey, Versioned<QuotaPolicy>> policies, PMap<ObjectKey, PSet<ObjectKey>> byBackend) {

  static final QuotaPolicies EMPTY = new QuotaPolicies(HashTrie.empty(), HashTrie.empty());

  /** Upstream's precedence between policies that give one model a quota: namespace/name. */
  private static final Comparator<Versioned<QuotaPolicy>> PRECEDENCE =
      Comparator.comparing(Versioned::ref);

  /** The version in effect under {@code key} becomes {@code policy} (null: none). */
  QuotaPolicies with(ObjectKey key, Versioned<QuotaPolicy> policy) {
    Versioned<QuotaPolicy> old = policies.get(key);
    return new QuotaPolicies(
        policy == null ? policies.minus(key) : policies.plus(key, policy),
        Catalog.reindexed(byBackend, targetsOf(old), targetsOf(policy), key));
  }

  /** The AIServiceBackend keys a QuotaPolicy targets (none for null). */
  static Set<ObjectKey> targetsOf(Versioned<QuotaPolicy> policy) {
    if (policy == null) {
      return Set.of();
    }
    Set<ObjectKey> keys = new LinkedHashSet<>();
    for (LocalPolicyTargetReference target : policy.resource().spec().targetRefs()) {
      References.backendTarget(policy.namespace(), target).ifPresent(keys::add);
    }
    return keys;
  }

  /** The QuotaPolicies targeting {@code backend}, in precedence order. */
  List<Versioned<QuotaPolicy>> of(ObjectKey backend) {
    PSet<ObjectKey> keys = byBackend.get(backend);
    if (keys == null) {
      return List.of();
    }
    List<Versioned<QuotaPolicy>> out = new ArrayList<>(keys.size());
    for (ObjectKey key : keys) {
      out.add(policies.get(key));
    }
    out.sort(PRECEDENCE);
    return out;
  }
}
