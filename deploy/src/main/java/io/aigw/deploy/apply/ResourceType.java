package io.aigw.deploy.apply;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.gateway.ConfigMap;
import io.aigw.core.model.gateway.Deployment;
import io.aigw.core.model.gateway.EnvoyExtensionPolicy;
import io.aigw.core.model.gateway.HTTPRoute;
import io.aigw.core.model.gateway.HTTPRouteFilter;
import io.aigw.core.model.gateway.Service;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespaced kind the applier writes, with what its REST path needs. The set is closed: the kinds
 * the projections emit (pruned by label) and the AI Gateway kinds (status only).
 */
public record ResourceType(String apiVersion, String kind, String plural) {

  public static final ResourceType CONFIG_MAP =
      new ResourceType(ConfigMap.API_VERSION, ConfigMap.KIND, "configmaps");
  public static final ResourceType SERVICE =
      new ResourceType(Service.API_VERSION, Service.KIND, "services");
  public static final ResourceType DEPLOYMENT =
      new ResourceType(Deployment.API_VERSION, Deployment.KIND, "deployments");
  public static final ResourceType HTTP_ROUTE =
      new ResourceType(HTTPRoute.API_VERSION, HTTPRoute.KIND, "httproutes");
  public static final ResourceType HTTP_ROUTE_FILTER =
      new ResourceType(HTTPRouteFilter.API_VERSION, HTTPRouteFilter.KIND, "httproutefilters");
  public static final ResourceType ENVOY_EXTENSION_POLICY =
      new ResourceType(
          EnvoyExtensionPolicy.API_VERSION, EnvoyExtensionPolicy.KIND, "envoyextensionpolicies");
  public static final ResourceType AI_GATEWAY_ROUTE =
      new ResourceType("aigateway.envoyproxy.io/v1beta1", "AIGatewayRoute", "aigatewayroutes");
  public static final ResourceType AI_SERVICE_BACKEND =
      new ResourceType("aigateway.envoyproxy.io/v1beta1", "AIServiceBackend", "aiservicebackends");
  public static final ResourceType BACKEND_SECURITY_POLICY =
      new ResourceType(
          "aigateway.envoyproxy.io/v1beta1", "BackendSecurityPolicy", "backendsecuritypolicies");

  public static final ResourceType GATEWAY_CONFIG =
      new ResourceType("aigateway.envoyproxy.io/v1beta1", "GatewayConfig", "gatewayconfigs");

  /** Served only as v1alpha1. */
  public static final ResourceType QUOTA_POLICY =
      new ResourceType("aigateway.envoyproxy.io/v1alpha1", "QuotaPolicy", "quotapolicies");

  /** What aigw creates, labels {@code app.kubernetes.io/managed-by: aigw} and prunes. */
  public static final List<ResourceType> OWNED =
      List.of(
          HTTP_ROUTE_FILTER, HTTP_ROUTE, ENVOY_EXTENSION_POLICY, CONFIG_MAP, SERVICE, DEPLOYMENT);

  /** The kinds whose status aigw writes. */
  public static final List<ResourceType> WITH_STATUS =
      List.of(
          AI_GATEWAY_ROUTE,
          AI_SERVICE_BACKEND,
          BACKEND_SECURITY_POLICY,
          GATEWAY_CONFIG,
          QUOTA_POLICY);

  public ResourceType {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
  }

  /** The group, empty for the core group. */
  public String group() {
    return ObjectKey.groupOf(apiVersion);
  }

  /** True when {@code key} is an object of this kind. */
  public boolean matches(ObjectKey key) {
    return group().equals(key.group()) && kind.equals(key.kind());
  }

  /** The type of an object aigw writes (owned or with status), if it is one. */
  public static Optional<ResourceType> of(ObjectKey key) {
    for (ResourceType type : OWNED) {
      if (type.matches(key)) {
        return Optional.of(type);
      }
    }
    for (ResourceType type : WITH_STATUS) {
      if (type.matches(key)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** {@code /api/v1/namespaces/ns/configmaps} or {@code /apis/g/v/namespaces/ns/plural}. */
  public String collectionPath(String namespace) {
    return root() + "/namespaces/" + namespace + "/" + plural;
  }

  /** The collection across every namespace. */
  public String clusterPath() {
    return root() + "/" + plural;
  }

  public String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }

  public ObjectKey key(String namespace, String name) {
    return new ObjectKey(group(), kind, namespace, name);
  }

  private String root() {
    return group().isEmpty() ? "/api/" + apiVersion : "/apis/" + apiVersion;
  }

  @Override
  public String toString() {
    return kind + " " + apiVersion;
  }

  /** The kind as fabric8's generic client addresses it. */
  public ResourceDefinitionContext definition() {
    int slash = apiVersion.indexOf('/');
    return new ResourceDefinitionContext.Builder()
        .withGroup(group())
        .withVersion(apiVersion.substring(slash + 1))
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
