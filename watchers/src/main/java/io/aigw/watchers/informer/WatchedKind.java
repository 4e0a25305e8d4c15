package io.aigw.watchers.informer;

import io.aigw.core.event.ObjectKey;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Objects;

/**
 * A namespaced kind the cluster source watches: its group, the version it is read in, and the
 * plural of its REST path. Fixed here, so no API discovery is needed (an API server without a
 * kind's CRD answers 404 to its list, which the informer retries).
 */
public record WatchedKind(String group, String version, String kind, String plural) {

  public static final String AI_GROUP = "aigateway.envoyproxy.io";
  public static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

  public static final WatchedKind AI_GATEWAY_ROUTE =
      new WatchedKind(AI_GROUP, "v1beta1", "AIGatewayRoute", "aigatewayroutes");
  public static final WatchedKind AI_SERVICE_BACKEND =
      new WatchedKind(AI_GROUP, "v1beta1", "AIServiceBackend", "aiservicebackends");
  public static final WatchedKind BACKEND_SECURITY_POLICY =
      new WatchedKind(AI_GROUP, "v1beta1", "BackendSecurityPolicy", "backendsecuritypolicies");
  public static final WatchedKind GATEWAY_CONFIG =
      new WatchedKind(AI_GROUP, "v1beta1", "GatewayConfig", "gatewayconfigs");

  /** Served only as v1alpha1. */
  public static final WatchedKind QUOTA_POLICY =
      new WatchedKind(AI_GROUP, "v1alpha1", "QuotaPolicy", "quotapolicies");

  public static final WatchedKind SECRET = new WatchedKind("", "v1", "Secret", "secrets");
  public static final WatchedKind GATEWAY =
      new WatchedKind(GATEWAY_API_GROUP, "v1", "Gateway", "gateways");

  /** Envoy Gateway's Backend: the host Bedrock requests through it are signed for. */
  public static final WatchedKind ENVOY_BACKEND =
      new WatchedKind("gateway.envoyproxy.io", "v1alpha1", "Backend", "backends");

  public static final WatchedKind REFERENCE_GRANT =
      new WatchedKind(GATEWAY_API_GROUP, "v1beta1", "ReferenceGrant", "referencegrants");

  /** Everything the projections read, in the order the informers start. */
  public static final List<WatchedKind> ALL =
      List.of(
          AI_GATEWAY_ROUTE,
          AI_SERVICE_BACKEND,
          BACKEND_SECURITY_POLICY,
          GATEWAY_CONFIG,
          QUOTA_POLICY,
          SECRET,
          GATEWAY,
          REFERENCE_GRANT,
          ENVOY_BACKEND);

  public WatchedKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
  }

  /** {@code group/version}, or the bare version for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** True for the kinds whose status aigw writes itself. */
  public boolean isAiGateway() {
    return AI_GROUP.equals(group);
  }

  /** True when {@code key} names an object of this kind (any version). */
  public boolean matches(ObjectKey key) {
    return group.equals(key.group()) && kind.equals(key.kind());
  }

  /** How fabric8 addresses the kind without a typed class. */
  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  @Override
  public String toString() {
    return kind + "." + (group.isEmpty() ? "core" : group) + "/" + version;
  }
}
