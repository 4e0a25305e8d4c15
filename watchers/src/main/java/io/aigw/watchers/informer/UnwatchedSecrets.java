package io.aigw.watchers.informer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Informable;
import java.util.List;
import java.util.Map;

/**
 * The Secret types no policy names, left out of the watch: Helm's release records (large, and
 * rewritten at every release of every chart), service account and bootstrap tokens. Watched, they
 * filled the controller's memory with the cluster's Secrets and its log with their changes.
 */
final class UnwatchedSecrets {

  static final List<String> TYPES =
      List.of(
          "helm.sh/release.v1",
          "kubernetes.io/service-account-token",
          "bootstrap.kubernetes.io/token");

  private UnwatchedSecrets() {}

  /** {@code scope} without those types, asked of the API server (a field selector on type). */
  static <T> Informable<T> leftOut(FilterWatchListDeletable<T, ?, ?> scope) {
    FilterWatchListDeletable<T, ?, ?> filtered = scope;
    for (String type : TYPES) {
      filtered = filtered.withoutField("type", type);
    }
    return filtered;
  }

  /**
   * Whether {@code object} of {@code kind} is one of those Secrets: checked again on each event,
   * since a server may answer the list without applying the selector.
   */
  static boolean excludes(WatchedKind kind, GenericKubernetesResource object) {
    if (!kind.equals(WatchedKind.SECRET)) {
      return false;
    }
    Map<String, Object> properties = object.getAdditionalProperties();
    return properties != null && TYPES.contains(String.valueOf(properties.get("type")));
  }
}
