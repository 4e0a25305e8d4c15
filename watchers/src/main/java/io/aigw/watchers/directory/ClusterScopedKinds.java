package io.aigw.watchers.directory;

import java.util.Set;

/**
 * The kinds a cluster stores without a namespace, among those a gateway configuration plausibly
 * contains. Every other kind is namespaced and defaults to {@code default}, as kubectl does. A
 * directory has no API discovery to ask, so the list is fixed; a cluster-scoped kind missing from
 * it only gets a namespace it does not need.
 */
final class ClusterScopedKinds {

  private record GroupKind(String group, String kind) {}

  private static final Set<GroupKind> KINDS =
      Set.of(
          new GroupKind("", "Namespace"),
          new GroupKind("", "Node"),
          new GroupKind("", "PersistentVolume"),
          new GroupKind("rbac.authorization.k8s.io", "ClusterRole"),
          new GroupKind("rbac.authorization.k8s.io", "ClusterRoleBinding"),
          new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition"),
          new GroupKind("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
          new GroupKind("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
          new GroupKind("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
          new GroupKind("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
          new GroupKind("apiregistration.k8s.io", "APIService"),
          new GroupKind("storage.k8s.io", "StorageClass"),
          new GroupKind("storage.k8s.io", "CSIDriver"),
          new GroupKind("scheduling.k8s.io", "PriorityClass"),
          new GroupKind("networking.k8s.io", "IngressClass"),
          new GroupKind("node.k8s.io", "RuntimeClass"),
          new GroupKind("gateway.networking.k8s.io", "GatewayClass"),
          new GroupKind("cert-manager.io", "ClusterIssuer"));

  private ClusterScopedKinds() {}

  static boolean isClusterScoped(String group, String kind) {
    return KINDS.contains(new GroupKind(group, kind));
  }
}
