package io.aigw.projections.properties;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.WatchEvent;
import java.util.List;
import java.util.Map;

/**
 * Builds the objects a user applies, as the directory watcher records them: canonical JSON in a
 * {@link WatchEvent}. Every builder takes all of its choices as arguments, so generators stay pure
 * and a failing sample reads as the YAML it stands for.
 */
public final class GatewayObjects {

  public static final String AI_GROUP_V1BETA1 = "aigateway.envoyproxy.io/v1beta1";
  public static final String AI_GROUP_V1ALPHA1 = "aigateway.envoyproxy.io/v1alpha1";
  public static final String GATEWAY_API = "gateway.networking.k8s.io/v1";
  public static final String SOURCE = "dir:/examples";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private GatewayObjects() {}

  /** One rule of a route: the model header it matches and the backends it sends to. */
  public record Rule(String model, List<String> backends) {}

  /** A cost the route reports: a token type, or a CEL expression. */
  public record Cost(String metadataKey, String type, String cel) {}

  public static WatchEvent upsert(ObjectNode object) {
    return event(object, EventType.UPSERT);
  }

  public static WatchEvent delete(ObjectNode object) {
    return event(object, EventType.DELETE);
  }

  private static WatchEvent event(ObjectNode object, EventType type) {
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    String namespace = metadata.path("namespace").asText("");
    String name = metadata.path("name").asText();
    String json = CanonicalJson.write(object);
    return new WatchEvent(
        SOURCE,
        object.get("apiVersion").asText(),
        object.get("kind").asText(),
        namespace,
        name,
        "uid-" + namespace + "-" + name,
        Integer.toHexString(json.hashCode()),
        1 + Math.floorMod(json.hashCode(), 5),
        type,
        json);
  }

  public static ObjectNode route(
      String apiVersion,
      String namespace,
      String name,
      String gateway,
      List<Rule> rules,
      List<Cost> costs) {
    return route(apiVersion, namespace, name, List.of(gateway), rules, costs);
  }

  /** A route attached to {@code gateways}, each {@code name} or {@code namespace/name}. */
  public static ObjectNode route(
      String apiVersion,
      String namespace,
      String name,
      List<String> gateways,
      List<Rule> rules,
      List<Cost> costs) {
    ObjectNode spec = JSON.objectNode();
    ArrayNode parents = spec.putArray("parentRefs");
    for (String gateway : gateways) {
      ObjectNode parent =
          parents.addObject().put("group", "gateway.networking.k8s.io").put("kind", "Gateway");
      int slash = gateway.indexOf('/');
      if (slash >= 0) {
        parent.put("namespace", gateway.substring(0, slash));
      }
      parent.put("name", gateway.substring(slash + 1));
    }
    ArrayNode ruleNodes = spec.putArray("rules");
    for (Rule rule : rules) {
      ObjectNode node = ruleNodes.addObject();
      node.putArray("matches")
          .addObject()
          .putArray("headers")
          .addObject()
          .put("type", "Exact")
          .put("name", "x-ai-eg-model")
          .put("value", rule.model());
      ArrayNode refs = node.putArray("backendRefs");
      rule.backends().forEach(backend -> refs.addObject().put("name", backend));
    }
    putCosts(spec, "llmRequestCosts", costs);
    return object(apiVersion, "AIGatewayRoute", namespace, name, spec);
  }

  /**
   * {@code route} with these hostnames, created at {@code created} ("" for no timestamp), its
   * parentRefs naming listener {@code section} ("" for the whole Gateway).
   */
  public static ObjectNode attached(
      ObjectNode route, List<String> hostnames, String created, String section) {
    ObjectNode copy = route.deepCopy();
    ObjectNode spec = (ObjectNode) copy.get("spec");
    if (!hostnames.isEmpty()) {
      ArrayNode names = spec.putArray("hostnames");
      hostnames.forEach(names::add);
    }
    if (!section.isEmpty()) {
      spec.get("parentRefs").forEach(parent -> ((ObjectNode) parent).put("sectionName", section));
    }
    if (!created.isEmpty()) {
      ((ObjectNode) copy.get("metadata")).put("creationTimestamp", created);
    }
    return copy;
  }

  /** {@code object} as Kubernetes shows it while its finalizers hold its delete back. */
  public static ObjectNode beingDeleted(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = (ObjectNode) copy.get("metadata");
    metadata.put("deletionTimestamp", "2025-01-01T00:10:00Z");
    metadata.putArray("finalizers").add("aigateway.envoyproxy.io/finalizer");
    return copy;
  }

  public static ObjectNode backend(String namespace, String name, String schema) {
    ObjectNode spec = JSON.objectNode();
    spec.putObject("schema").put("name", schema);
    spec.putObject("backendRef")
        .put("name", name)
        .put("kind", "Backend")
        .put("group", "gateway.envoyproxy.io");
    return object(AI_GROUP_V1BETA1, "AIServiceBackend", namespace, name, spec);
  }

  /** An APIKey policy, or AWSCredentials when {@code aws}, reading {@code secret}. */
  public static ObjectNode policy(
      String namespace, String name, List<String> targets, boolean aws, String secret) {
    ObjectNode spec = JSON.objectNode();
    ArrayNode refs = spec.putArray("targetRefs");
    targets.forEach(
        target ->
            refs.addObject()
                .put("group", "aigateway.envoyproxy.io")
                .put("kind", "AIServiceBackend")
                .put("name", target));
    if (aws) {
      spec.put("type", "AWSCredentials");
      ObjectNode credentials = spec.putObject("awsCredentials").put("region", "us-east-1");
      credentials.putObject("credentialsFile").putObject("secretRef").put("name", secret);
    } else {
      spec.put("type", "APIKey");
      spec.putObject("apiKey").putObject("secretRef").put("name", secret);
    }
    return object(AI_GROUP_V1BETA1, "BackendSecurityPolicy", namespace, name, spec);
  }

  /** A Secret as the watchers record it: key names and {@code sha256:} digests, no values. */
  public static ObjectNode secret(String namespace, String name, Map<String, String> digests) {
    ObjectNode secret = object("v1", "Secret", namespace, name, null);
    secret.put("type", "Opaque");
    ObjectNode data = secret.putObject("data");
    digests.forEach((key, digest) -> data.put(key, "sha256:" + digest));
    return secret;
  }

  public static ObjectNode gateway(String namespace, String name, int port) {
    return gateway(namespace, name, port, "");
  }

  /** A Gateway whose annotation names GatewayConfig {@code config} ("" for none). */
  public static ObjectNode gateway(String namespace, String name, int port, String config) {
    ObjectNode spec = JSON.objectNode().put("gatewayClassName", "envoy-ai-gateway");
    spec.putArray("listeners")
        .addObject()
        .put("name", "http")
        .put("protocol", "HTTP")
        .put("port", port);
    ObjectNode gateway = object(GATEWAY_API, "Gateway", namespace, name, spec);
    if (!config.isEmpty()) {
      ((ObjectNode) gateway.get("metadata"))
          .putObject("annotations")
          .put("aigateway.envoyproxy.io/gateway-config", config);
    }
    return gateway;
  }

  /**
   * A GatewayConfig with these global costs and, by {@code container}: 0 nothing for the ExtProc, 1
   * a variable and resources, 2 an image repository, a security context and a volume mount (which
   * aigw cannot apply), 3 a quantity aigw does not write and a forward proxy.
   */
  public static ObjectNode gatewayConfig(
      String namespace, String name, List<Cost> costs, int container) {
    ObjectNode spec = JSON.objectNode();
    putCosts(spec, "globalLLMRequestCosts", costs);
    if (container > 0) {
      ObjectNode kubernetes = spec.putObject("extProc").putObject("kubernetes");
      switch (container) {
        case 1 -> {
          kubernetes.putArray("env").addObject().put("name", "TEAM").put("value", namespace);
          kubernetes.putObject("resources").putObject("limits").put("cpu", "0.5");
        }
        case 2 -> {
          kubernetes.put("imageRepository", "registry.example.com/aigw");
          kubernetes.putObject("securityContext").put("runAsNonRoot", true);
          kubernetes.putArray("volumeMounts").addObject().put("name", "x").put("mountPath", "/x");
        }
        default -> {
          kubernetes.putObject("resources").putObject("requests").put("memory", "1.5Gi");
          spec.putObject("forwardProxy").put("address", "proxy:3128");
        }
      }
    }
    return object(AI_GROUP_V1BETA1, "GatewayConfig", namespace, name, spec);
  }

  /**
   * A QuotaPolicy (v1alpha1, the one version it is served in) targeting {@code backends}, with a
   * default bucket for {@code model} costing {@code cost}, and by {@code flavour}: 0 nothing more,
   * 1 a service quota, 2 a bucket per tenant header, 3 a bucket selecting by method (left out), 4 a
   * window the CRD does not allow (the policy is invalid).
   */
  public static ObjectNode quotaPolicy(
      String namespace,
      String name,
      List<String> backends,
      String model,
      String cost,
      int flavour) {
    ObjectNode spec = JSON.objectNode();
    ArrayNode targets = spec.putArray("targetRefs");
    for (String backend : backends) {
      targets
          .addObject()
          .put("group", "aigateway.envoyproxy.io")
          .put("kind", "AIServiceBackend")
          .put("name", backend);
    }
    ObjectNode quota =
        spec.putArray("perModelQuotas").addObject().put("modelName", model).putObject("quota");
    quota.put("costExpression", cost);
    quota
        .putObject("defaultBucket")
        .put("limit", 1000)
        .put("duration", flavour % 5 == 4 ? "2m" : "1h");
    switch (flavour % 5) {
      case 1 ->
          spec.putObject("serviceQuota").putObject("quota").put("limit", 5).put("duration", "1d");
      case 2 -> {
        ObjectNode rule = quota.putArray("bucketRules").addObject();
        rule.putArray("clientSelectors")
            .addObject()
            .putArray("headers")
            .addObject()
            .put("name", "x-tenant")
            .put("type", "Distinct");
        rule.putObject("quota").put("limit", 10).put("duration", "1m");
      }
      case 3 -> {
        ObjectNode rule = quota.putArray("bucketRules").addObject();
        rule.putArray("clientSelectors")
            .addObject()
            .putArray("methods")
            .addObject()
            .put("value", "POST");
        rule.putObject("quota").put("limit", 10).put("duration", "1m");
      }
      default -> {
        // the default bucket only (of a window the CRD does not allow, for 4)
      }
    }
    return object(AI_GROUP_V1ALPHA1, "QuotaPolicy", namespace, name, spec);
  }

  /**
   * An Envoy Gateway Backend with one endpoint: an FQDN, or an IP address when {@code hostname} is
   * one.
   */
  public static ObjectNode endpoint(String namespace, String name, String hostname) {
    ObjectNode spec = JSON.objectNode();
    ObjectNode endpoint = spec.putArray("endpoints").addObject();
    if (Character.isDigit(hostname.charAt(0))) {
      endpoint.putObject("ip").put("address", hostname).put("port", 443);
    } else {
      endpoint.putObject("fqdn").put("hostname", hostname).put("port", 443);
    }
    return object("gateway.envoyproxy.io/v1alpha1", "Backend", namespace, name, spec);
  }

  /** A kind aigw records but does not act on. */
  public static ObjectNode unrelated(String kind, String namespace, String name, String value) {
    String apiVersion = kind.equals("Deployment") ? "apps/v1" : "v1";
    ObjectNode object = object(apiVersion, kind, namespace, name, null);
    object.putObject("data").put("value", value);
    return object;
  }

  /** An object of a known kind whose spec a cluster would reject or that aigw cannot use. */
  public static ObjectNode invalid(String kind, String namespace, String name, int flavour) {
    ObjectNode spec = JSON.objectNode();
    switch (flavour % 4) {
      case 0 -> spec.putArray("rules");
      case 1 -> spec.putObject("schema").put("name", "NotAProvider");
      case 2 -> spec.put("type", "APIKey");
      default -> spec.put("rules", "not a list");
    }
    return object(AI_GROUP_V1BETA1, kind, namespace, name, spec);
  }

  private static void putCosts(ObjectNode spec, String field, List<Cost> costs) {
    if (costs.isEmpty()) {
      return;
    }
    ArrayNode nodes = spec.putArray(field);
    for (Cost cost : costs) {
      ObjectNode node = nodes.addObject();
      node.put("metadataKey", cost.metadataKey()).put("type", cost.type());
      if (cost.cel() != null) {
        node.put("cel", cost.cel());
      }
    }
  }

  private static ObjectNode object(
      String apiVersion, String kind, String namespace, String name, ObjectNode spec) {
    ObjectNode object = JSON.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode metadata = object.putObject("metadata").put("name", name);
    if (!namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    if (spec != null) {
      object.set("spec", spec);
    }
    return object;
  }
}
