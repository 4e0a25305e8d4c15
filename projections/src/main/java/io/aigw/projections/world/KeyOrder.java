package io.aigw.projections.world;

import io.aigw.core.event.ObjectKey;
import java.util.Comparator;
import java.util.Map;

/**
 * {@link ObjectKey}'s natural order (group, kind, namespace, name), written for the persistent maps
 * of the folds, which compare keys on every lookup and update: field by field (a chain of
 * key-extracting comparators costs about twice as much), and a field that is the same string
 * instance on both sides is equal without reading its characters.
 *
 * <p>{@link #shared} makes keys share their strings: in a map of tens of thousands of keys every
 * comparison that has to read a string another key owns is likely a cache miss, and a fold spends
 * most of its time on them. Sharing changes no result, only what memory a comparison touches.
 */
public final class KeyOrder implements Comparator<ObjectKey>, java.io.Serializable {

  public static final KeyOrder INSTANCE = new KeyOrder();
  private static final long serialVersionUID = 1L;

  /** Groups and kinds the folds meet all the time, one instance each. */
  private static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("", ""),
          Map.entry("aigateway.envoyproxy.io", "aigateway.envoyproxy.io"),
          Map.entry("gateway.networking.k8s.io", "gateway.networking.k8s.io"),
          Map.entry("gateway.envoyproxy.io", "gateway.envoyproxy.io"),
          Map.entry("apps", "apps"),
          Map.entry("AIGatewayRoute", "AIGatewayRoute"),
          Map.entry("AIServiceBackend", "AIServiceBackend"),
          Map.entry("BackendSecurityPolicy", "BackendSecurityPolicy"),
          Map.entry("GatewayConfig", "GatewayConfig"),
          Map.entry("QuotaPolicy", "QuotaPolicy"),
          Map.entry("Secret", "Secret"),
          Map.entry("ConfigMap", "ConfigMap"),
          Map.entry("Service", "Service"),
          Map.entry("Deployment", "Deployment"),
          Map.entry("ReferenceGrant", "ReferenceGrant"),
          Map.entry("Gateway", "Gateway"),
          Map.entry("GatewayClass", "GatewayClass"),
          Map.entry("HTTPRoute", "HTTPRoute"),
          Map.entry("HTTPRouteFilter", "HTTPRouteFilter"),
          Map.entry("EnvoyExtensionPolicy", "EnvoyExtensionPolicy"),
          Map.entry("Backend", "Backend"));

  private KeyOrder() {}

  /**
   * An equal key whose group and kind are shared constants when they are well known and whose
   * namespace is interned (a cluster has few namespaces), so that comparing it with other such keys
   * reads no other key's characters unless names must be compared.
   */
  public static ObjectKey shared(ObjectKey key) {
    String group = KNOWN.getOrDefault(key.group(), key.group());
    String kind = KNOWN.getOrDefault(key.kind(), key.kind());
    String namespace = key.namespace().intern();
    if (group == key.group() && kind == key.kind() && namespace == key.namespace()) {
      return key;
    }
    return new ObjectKey(group, kind, namespace, key.name());
  }

  @Override
  public int compare(ObjectKey a, ObjectKey b) {
    if (a == b) {
      return 0;
    }
    int order = compare(a.group(), b.group());
    if (order != 0) {
      return order;
    }
    order = compare(a.kind(), b.kind());
    if (order != 0) {
      return order;
    }
    order = compare(a.namespace(), b.namespace());
    return order != 0 ? order : compare(a.name(), b.name());
  }

  private static int compare(String a, String b) {
    return a == b ? 0 : a.compareTo(b);
  }
}
