package io.aigw.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a raw object tree (one YAML/JSON document, as the watchers see it) into the form a cluster
 * with the AI Gateway CRDs would store, so that everything downstream sees one shape: v1beta1 for
 * four kinds, v1alpha1 for the QuotaPolicy.
 *
 * <p>Two entry points, both pure and side-effect free (the input is never modified):
 *
 * <ul>
 *   <li>{@link #normalizedTree(JsonNode)}: for an AIGatewayRoute, AIServiceBackend,
 *       BackendSecurityPolicy or GatewayConfig of {@code aigateway.envoyproxy.io/v1alpha1} or
 *       {@code v1beta1}, a copy with {@code apiVersion} rewritten to v1beta1, {@code
 *       metadata.namespace} defaulted to {@code default} and the CRD defaults applied where the
 *       field is absent or null (what the API server's defaulting does); any other object is
 *       returned as is (the same instance). Since the two versions have the same schema, a v1alpha1
 *       and a v1beta1 document that differ only in {@code apiVersion} give equal trees, so
 *       everything derived from them (owner references included) is byte-identical. Unknown fields
 *       are kept, not pruned: reporting them is {@code AiResourceValidator}'s job. A QuotaPolicy is
 *       defaulted the same way but keeps its {@code apiVersion}: upstream serves it only as
 *       v1alpha1. One written as v1beta1 is normalised too, so that it can be refused with a reason
 *       ({@value QuotaPolicy#ONLY_V1ALPHA1}): {@code AiResourceValidator} reports it and {@link
 *       #readNormalized} throws.
 *   <li>{@link #read(JsonNode)}: the normalised tree bound to the records; empty for every object
 *       that is not one of the five kinds. Lists in the records are never null.
 * </ul>
 *
 * <p>Defaults applied (those of the CRD schemas): route {@code parentRefs[].group} {@code
 * gateway.networking.k8s.io} and {@code kind} {@code Gateway}; rule {@code modelsOwnedBy} {@code
 * Envoy AI Gateway}; backendRef {@code weight} 1 and {@code priority} 0; header match {@code type}
 * {@code Exact}; AIServiceBackend {@code backendRef.group} {@code ""} and {@code kind} {@code
 * Service}; every Secret reference {@code group} {@code ""} and {@code kind} {@code Secret}; AWS
 * {@code credentialsFile.profile} {@code default}; {@code credentialOverride}'s {@code
 * fallbackToConfigured} {@code true}; QuotaPolicy {@code perModelQuotas[].quota.mode} {@code
 * Shared} and, in its client selectors, header {@code type} {@code Exact} and {@code invert} {@code
 * false}, method {@code invert} {@code false}, path {@code type} {@code PathPrefix}, {@code value}
 * {@code /} and {@code invert} {@code false}, source CIDR {@code type} {@code Exact} (a bucket
 * rule's {@code shadowMode} has no CRD default; its record reads an absent one as false). Defaults
 * the controller (not the API server) applies, such as a rule's {@code modelsCreatedAt} or its
 * request timeout, are left to the projections.
 *
 * <p>Validate first ({@code AiResourceValidator}): {@code read} of a tree whose fields have the
 * wrong JSON types throws {@link IllegalArgumentException}; {@code normalizedTree} never throws and
 * skips defaults wherever the shape is not the expected one.
 */
public final class AiResourceReader {

  public static final String DEFAULT_NAMESPACE = "default";
  public static final String KIND_ROUTE = "AIGatewayRoute";
  public static final String KIND_BACKEND = "AIServiceBackend";
  public static final String KIND_POLICY = "BackendSecurityPolicy";
  public static final String KIND_GATEWAY_CONFIG = "GatewayConfig";
  public static final String KIND_QUOTA_POLICY = "QuotaPolicy";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private AiResourceReader() {}

  /**
   * The kind of {@code raw} when it is one of the five AI Gateway kinds, of {@code v1alpha1} or
   * {@code v1beta1} (a v1beta1 QuotaPolicy included, which is normalised only to be refused).
   */
  public static Optional<String> aiKind(JsonNode raw) {
    if (raw == null || !raw.isObject()) {
      return Optional.empty();
    }
    String apiVersion = raw.path("apiVersion").asText("");
    if (!apiVersion.equals(AiResource.V1BETA1) && !apiVersion.equals(AiResource.V1ALPHA1)) {
      return Optional.empty();
    }
    String kind = raw.path("kind").asText("");
    return switch (kind) {
      case KIND_ROUTE, KIND_BACKEND, KIND_POLICY, KIND_GATEWAY_CONFIG, KIND_QUOTA_POLICY ->
          Optional.of(kind);
      default -> Optional.empty();
    };
  }

  /** The v1beta1, defaulted copy of an AI Gateway object; any other object unchanged. */
  public static JsonNode normalizedTree(JsonNode raw) {
    return normalize(raw).map(Normalized::tree).orElse(raw);
  }

  /**
   * An AI Gateway object after the API server's defaulting: the one copy of a raw tree that both
   * {@code AiResourceValidator.validateNormalized} and {@link #readNormalized} look at, so an
   * object that is validated, then read, is copied once.
   *
   * @param kind one of the five kinds
   * @param v1alpha1 whether the raw object was {@code v1alpha1} (its policy schema differs; a
   *     QuotaPolicy of another version is refused)
   * @param tree the normalised tree ({@link #normalizedTree}); never modify it
   */
  public record Normalized(String kind, boolean v1alpha1, JsonNode tree) {}

  /** The normalised form of {@code raw}; empty for every object that is not an AI kind. */
  public static Optional<Normalized> normalize(JsonNode raw) {
    return aiKind(raw).map(kind -> defaulted(kind, ((ObjectNode) raw).deepCopy()));
  }

  /**
   * {@link #normalize}, for a caller that owns {@code raw} and has no further use for it (a tree it
   * just parsed): {@code raw} itself becomes the normalised tree, no copy is made.
   */
  public static Optional<Normalized> normalizeInPlace(JsonNode raw) {
    return aiKind(raw).map(kind -> defaulted(kind, (ObjectNode) raw));
  }

  private static Normalized defaulted(String kind, ObjectNode tree) {
    boolean v1alpha1 = AiResource.V1ALPHA1.equals(tree.path("apiVersion").asText());
    if (!KIND_QUOTA_POLICY.equals(kind)) {
      tree.put("apiVersion", AiResource.V1BETA1);
    }
    defaultNamespace(tree);
    JsonNode spec = tree.get("spec");
    if (spec instanceof ObjectNode specObject) {
      switch (kind) {
        case KIND_ROUTE -> defaultRoute(specObject);
        case KIND_BACKEND -> defaultBackend(specObject);
        case KIND_POLICY -> defaultPolicy(specObject);
        case KIND_QUOTA_POLICY -> defaultQuotaPolicy(specObject);
        default -> {
          // a GatewayConfig has no defaults
        }
      }
    }
    return new Normalized(kind, v1alpha1, tree);
  }

  /**
   * The object as a record, normalised; empty when it is not an AIGatewayRoute, AIServiceBackend,
   * BackendSecurityPolicy, GatewayConfig or QuotaPolicy.
   *
   * @throws IllegalArgumentException when a field has a JSON type the schema does not allow, or the
   *     object is a QuotaPolicy of another version than v1alpha1
   */
  public static Optional<AiResource> read(JsonNode raw) {
    return normalize(raw).map(AiResourceReader::readNormalized);
  }

  /**
   * A normalised object as a record.
   *
   * @throws IllegalArgumentException when a field has a JSON type the schema does not allow, or the
   *     object is a QuotaPolicy of another version than v1alpha1
   */
  public static AiResource readNormalized(Normalized object) {
    JsonNode tree = object.tree();
    Class<? extends AiResource> type =
        switch (object.kind()) {
          case KIND_ROUTE -> AIGatewayRoute.class;
          case KIND_BACKEND -> AIServiceBackend.class;
          case KIND_POLICY -> BackendSecurityPolicy.class;
          case KIND_QUOTA_POLICY -> QuotaPolicy.class;
          default -> GatewayConfig.class;
        };
    if (type == QuotaPolicy.class && !object.v1alpha1()) {
      throw new IllegalArgumentException(
          KIND_QUOTA_POLICY
              + " "
              + tree.path("metadata").path("name").asText("")
              + ": apiVersion "
              + tree.path("apiVersion").asText("")
              + ": "
              + QuotaPolicy.ONLY_V1ALPHA1);
    }
    try {
      // binding never changes the tree, so only a tree with null items needs a cleaned copy
      JsonNode bound = hasNullItems(tree) ? withoutNullItems(tree) : tree;
      return MAPPER.treeToValue(bound, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          object.kind()
              + " "
              + tree.path("metadata").path("name").asText("")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void defaultNamespace(ObjectNode tree) {
    JsonNode metadata = tree.get("metadata");
    if (metadata == null || metadata.isNull()) {
      tree.putObject("metadata").put("namespace", DEFAULT_NAMESPACE);
    } else if (metadata instanceof ObjectNode meta) {
      JsonNode namespace = meta.get("namespace");
      if (namespace == null || namespace.isNull() || namespace.asText().isEmpty()) {
        meta.put("namespace", DEFAULT_NAMESPACE);
      }
    }
  }

  private static void defaultRoute(ObjectNode spec) {
    for (ObjectNode parent : objects(spec.get("parentRefs"))) {
      defaultText(parent, "group", "gateway.networking.k8s.io");
      defaultText(parent, "kind", "Gateway");
    }
    for (ObjectNode rule : objects(spec.get("rules"))) {
      defaultText(rule, "modelsOwnedBy", "Envoy AI Gateway");
      for (ObjectNode ref : objects(rule.get("backendRefs"))) {
        if (absent(ref, "weight")) {
          ref.put("weight", 1);
        }
        if (absent(ref, "priority")) {
          ref.put("priority", 0);
        }
      }
      for (ObjectNode match : objects(rule.get("matches"))) {
        for (ObjectNode header : objects(match.get("headers"))) {
          defaultText(header, "type", "Exact");
        }
      }
    }
  }

  private static void defaultBackend(ObjectNode spec) {
    if (spec.get("backendRef") instanceof ObjectNode ref) {
      defaultText(ref, "group", "");
      defaultText(ref, "kind", "Service");
    }
  }

  private static void defaultPolicy(ObjectNode spec) {
    for (String block : new String[] {"apiKey", "azureAPIKey", "anthropicAPIKey"}) {
      defaultSecretRef(child(spec, block), "secretRef");
    }
    ObjectNode aws = child(spec, "awsCredentials");
    ObjectNode awsFile = child(aws, "credentialsFile");
    defaultSecretRef(awsFile, "secretRef");
    if (awsFile != null) {
      defaultText(awsFile, "profile", "default");
    }
    defaultOidc(child(aws, "oidcExchangeToken"));
    ObjectNode azure = child(spec, "azureCredentials");
    defaultSecretRef(azure, "clientSecretRef");
    defaultOidc(child(azure, "oidcExchangeToken"));
    ObjectNode gcp = child(spec, "gcpCredentials");
    defaultSecretRef(child(gcp, "credentialsFile"), "secretRef");
    defaultOidc(child(child(gcp, "workloadIdentityFederationConfig"), "oidcExchangeToken"));
    ObjectNode override = child(spec, "credentialOverride");
    for (String source : new String[] {"fromRequestHeaders", "fromDynamicMetadata"}) {
      ObjectNode from = child(override, source);
      if (from != null && absent(from, "fallbackToConfigured")) {
        from.put("fallbackToConfigured", true);
      }
    }
  }

  private static void defaultQuotaPolicy(ObjectNode spec) {
    for (ObjectNode model : objects(spec.get("perModelQuotas"))) {
      ObjectNode quota = child(model, "quota");
      if (quota == null) {
        continue;
      }
      defaultText(quota, "mode", QuotaPolicy.MODE_SHARED);
      for (ObjectNode rule : objects(quota.get("bucketRules"))) {
        for (ObjectNode selector : objects(rule.get("clientSelectors"))) {
          defaultClientSelector(selector);
        }
      }
    }
  }

  /** Envoy Gateway's {@code RateLimitSelectCondition} defaults. */
  private static void defaultClientSelector(ObjectNode selector) {
    for (ObjectNode header : objects(selector.get("headers"))) {
      defaultText(header, "type", QuotaPolicySpec.HeaderSelector.EXACT);
      defaultFalse(header, "invert");
    }
    for (ObjectNode method : objects(selector.get("methods"))) {
      defaultFalse(method, "invert");
    }
    ObjectNode path = child(selector, "path");
    if (path != null) {
      defaultText(path, "type", "PathPrefix");
      defaultText(path, "value", "/");
      defaultFalse(path, "invert");
    }
    ObjectNode source = child(selector, "sourceCIDR");
    if (source != null) {
      defaultText(source, "type", "Exact");
    }
  }

  private static void defaultFalse(ObjectNode node, String field) {
    if (absent(node, field)) {
      node.put(field, false);
    }
  }

  private static void defaultOidc(ObjectNode exchange) {
    ObjectNode oidc = child(exchange, "oidc");
    defaultSecretRef(oidc, "clientSecret");
    defaultSecretRef(oidc, "clientIDRef");
  }

  private static void defaultSecretRef(ObjectNode parent, String field) {
    ObjectNode ref = child(parent, field);
    if (ref != null) {
      defaultText(ref, "group", "");
      defaultText(ref, "kind", "Secret");
    }
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    return parent != null && parent.get(field) instanceof ObjectNode child ? child : null;
  }

  private static Iterable<ObjectNode> objects(JsonNode array) {
    List<ObjectNode> out = new ArrayList<>();
    if (array instanceof ArrayNode items) {
      for (JsonNode item : items) {
        if (item instanceof ObjectNode object) {
          out.add(object);
        }
      }
    }
    return out;
  }

  private static boolean absent(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull();
  }

  private static void defaultText(ObjectNode node, String field, String value) {
    if (absent(node, field)) {
      node.put(field, value);
    }
  }

  private static boolean hasNullItems(JsonNode node) {
    if (node instanceof ArrayNode array) {
      for (JsonNode item : array) {
        if (item.isNull() || hasNullItems(item)) {
          return true;
        }
      }
    } else if (node instanceof ObjectNode object) {
      for (JsonNode value : object) {
        if (hasNullItems(value)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Records hold immutable lists, which cannot carry the nulls a sloppy YAML list may have. */
  private static JsonNode withoutNullItems(JsonNode node) {
    if (node instanceof ArrayNode array) {
      ArrayNode copy = array.arrayNode();
      for (JsonNode item : array) {
        if (!item.isNull()) {
          copy.add(withoutNullItems(item));
        }
      }
      return copy;
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object.objectNode();
      object.fields().forEachRemaining(e -> copy.set(e.getKey(), withoutNullItems(e.getValue())));
      return copy;
    }
    return node;
  }
}
