package io.aigw.core.model.validation;

import static io.aigw.core.model.validation.Schema.ArraySchema.array;
import static io.aigw.core.model.validation.Schema.IntegerSchema.integer;
import static io.aigw.core.model.validation.Schema.ObjectSchema.anyObject;
import static io.aigw.core.model.validation.Schema.ObjectSchema.object;
import static io.aigw.core.model.validation.Schema.StringSchema.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.model.HTTPRouteTimeouts;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.core.model.validation.Schema.AnySchema;
import io.aigw.core.model.validation.Schema.BooleanSchema;
import io.aigw.core.model.validation.Schema.ObjectSchema;
import io.aigw.core.model.validation.Schema.StringSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code aigateway.envoyproxy.io} CRD schemas at upstream v1.1.0 (v1alpha1 and v1beta1 differ
 * only in the BackendSecurityPolicy; the QuotaPolicy is v1alpha1 only), with the Gateway API and
 * Envoy Gateway types they embed. Patterns are the CRDs' own text since the API server quotes them
 * in its messages; CEL rules are predicates with the upstream messages verbatim.
 */
final class AiGatewaySchemas {

  static final String SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String GROUP =
      "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String KIND = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
  static final String OPTIONAL_KIND = "^$|^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
  static final String NAMESPACE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  static final String HOSTNAME =
      "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String HEADER_NAME = "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$";
  static final String DURATION = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";

  static final String INFERENCE_GROUP = "inference.networking.k8s.io";
  static final String ROUTE_NOT_FOUND = "route-not-found";

  static final List<String> SCHEMA_NAMES =
      List.of(
          "OpenAI",
          "Cohere",
          "AWSBedrock",
          "AzureOpenAI",
          "GCPVertexAI",
          "GCPAnthropic",
          "Anthropic",
          "AWSAnthropic");
  static final List<String> COST_TYPES =
      List.of(
          "OutputToken",
          "InputToken",
          "CachedInputToken",
          "CacheCreationInputToken",
          "TotalToken",
          "ReasoningToken",
          "CEL");
  static final List<String> POLICY_TYPES =
      List.of(
          "APIKey",
          "AWSCredentials",
          "AzureAPIKey",
          "AzureCredentials",
          "GCPCredentials",
          "AnthropicAPIKey");

  /** The credential block each policy type selects, in {@link #POLICY_TYPES} order. */
  static final List<String> POLICY_BLOCKS =
      List.of(
          "apiKey",
          "awsCredentials",
          "azureAPIKey",
          "azureCredentials",
          "gcpCredentials",
          "anthropicAPIKey");

  /** The methods Envoy Gateway's client selectors name (QuotaPolicy). */
  static final List<String> HTTP_METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  static final ObjectSchema ROUTE = resource(routeSpec());
  static final ObjectSchema BACKEND = resource(backendSpec());
  static final ObjectSchema POLICY_V1BETA1 = resource(policySpec(false));
  static final ObjectSchema POLICY_V1ALPHA1 = resource(policySpec(true));
  static final ObjectSchema GATEWAY_CONFIG = resource(gatewayConfigSpec());
  static final ObjectSchema QUOTA_POLICY = resource(quotaPolicySpec());

  /** A container image with a tag (and maybe a digest), as Envoy Gateway's CRDs ask. */
  static final String IMAGE =
      "^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*"
          + ":[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}(?:@sha256:[a-f0-9]{64})?$";

  /** A repository without a tag: the release's own tag or digest goes with it. */
  static final String IMAGE_REPOSITORY =
      "^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*$";

  private static final Pattern IMAGE_WHOLE = Pattern.compile(IMAGE);
  private static final Pattern IMAGE_REPOSITORY_WHOLE = Pattern.compile(IMAGE_REPOSITORY);

  private AiGatewaySchemas() {}

  private static ObjectSchema resource(ObjectSchema spec) {
    return object()
        .optional("apiVersion", string())
        .optional("kind", string())
        .optional("metadata", objectMeta())
        .optional("spec", spec)
        .optional("status", new AnySchema());
  }

  private static ObjectSchema objectMeta() {
    ObjectSchema meta = object();
    for (String name :
        List.of(
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "deletionTimestamp")) {
      meta = meta.optional(name, string());
    }
    for (String name : List.of("generation", "deletionGracePeriodSeconds")) {
      meta = meta.optional(name, integer());
    }
    return meta.optional("labels", anyObject())
        .optional("annotations", anyObject())
        .optional("ownerReferences", new AnySchema())
        .optional("finalizers", new AnySchema())
        .optional("managedFields", new AnySchema());
  }

  // ---- AIGatewayRoute -------------------------------------------------------------------------

  private static ObjectSchema routeSpec() {
    return object()
        .optional(
            "parentRefs",
            array(parentReference())
                .maxItems(16)
                .rule("only Gateway is supported", all(ref -> isText(ref, "kind", "Gateway"))))
        .optional("hostnames", array(string().length(1, 253).pattern(HOSTNAME)).maxItems(16))
        .required(
            "rules",
            array(routeRule())
                .maxItems(15)
                .rule("rule name must be unique within the route", AiGatewaySchemas::uniqueNames))
        .optional("llmRequestCosts", array(llmRequestCost()).maxItems(36));
  }

  private static ObjectSchema parentReference() {
    return object()
        .optional("group", string().maxLength(253).pattern(GROUP))
        .optional("kind", string().length(1, 63).pattern(KIND))
        .optional("namespace", string().length(1, 63).pattern(NAMESPACE))
        .required("name", string().length(1, 253))
        .optional("sectionName", string().length(1, 253).pattern(SUBDOMAIN))
        .optional("port", integer().range(1, 65535));
  }

  private static ObjectSchema llmRequestCost() {
    return object()
        .required("metadataKey", string())
        .required("type", string().oneOf(COST_TYPES.toArray(String[]::new)))
        .optional("cel", string());
  }

  private static ObjectSchema routeRule() {
    return object()
        .optional("name", string().length(1, 253).pattern(SUBDOMAIN))
        .optional("backendRefs", array(routeBackendRef()).maxItems(128))
        .optional("matches", array(object().optional("headers", headerMatches())).maxItems(128))
        .optional("timeouts", timeouts())
        .optional("streamIdleTimeout", string().pattern(DURATION))
        .optional("modelsOwnedBy", string())
        .optional("modelsCreatedAt", string().format("date-time"))
        .rule(
            "rule name route-not-found is reserved", rule -> !isText(rule, "name", ROUTE_NOT_FOUND))
        .rule(
            "cannot mix InferencePool and AIServiceBackend references in the same rule",
            rule ->
                !hasArray(rule, "backendRefs")
                    || all(ref -> !has(ref, "group") && !has(ref, "kind"))
                        .test(rule.get("backendRefs"))
                    || all(ref -> has(ref, "group") && has(ref, "kind"))
                        .test(rule.get("backendRefs")))
        .rule(
            "only one InferencePool backend is allowed per rule",
            rule ->
                !hasArray(rule, "backendRefs")
                    || rule.get("backendRefs").size() == 1
                    || all(ref -> !(has(ref, "group") && has(ref, "kind")))
                        .test(rule.get("backendRefs")));
  }

  private static ObjectSchema routeBackendRef() {
    return object()
        .required("name", string().minLength(1))
        .optional("namespace", string().length(1, 63).pattern(NAMESPACE))
        .optional("group", string().maxLength(253).pattern(GROUP))
        .optional("kind", string().maxLength(63).pattern(OPTIONAL_KIND))
        .optional("modelNameOverride", string())
        .optional("headerMutation", headerMutation())
        .optional("bodyMutation", bodyMutation())
        .optional("weight", integer().minimum(0))
        .optional("priority", integer().minimum(0))
        .rule(
            "group and kind must be specified together",
            ref -> has(ref, "group") == has(ref, "kind"))
        .rule(
            "only InferencePool from " + INFERENCE_GROUP + " group is supported",
            ref ->
                !has(ref, "group")
                    // CEL cannot read an absent kind; the rule above reports that case
                    || !has(ref, "kind")
                    || (isText(ref, "group", INFERENCE_GROUP)
                        && isText(ref, "kind", "InferencePool")));
  }

  private static Schema headerMatches() {
    return array(
            object()
                .optional("type", string().oneOf("Exact", "RegularExpression"))
                .required("name", headerName())
                .required("value", string().length(1, 4096)))
        .maxItems(16)
        .mapKeyedBy("name");
  }

  private static StringSchema headerName() {
    return string().length(1, 256).pattern(HEADER_NAME);
  }

  private static ObjectSchema timeouts() {
    return object()
        .optional("request", string().pattern(DURATION))
        .optional("backendRequest", string().pattern(DURATION))
        .rule(
            "backendRequest timeout cannot be longer than request timeout",
            AiGatewaySchemas::backendRequestWithinRequest);
  }

  static ObjectSchema headerMutation() {
    return object()
        .optional(
            "set",
            array(
                    object()
                        .required("name", headerName())
                        .required("value", string().length(1, 4096)))
                .maxItems(16)
                .mapKeyedBy("name"))
        .optional("remove", array(string()).maxItems(16).set());
  }

  static ObjectSchema bodyMutation() {
    return object()
        .optional(
            "set",
            array(object().required("path", string().minLength(1)).required("value", string()))
                .maxItems(16)
                .mapKeyedBy("path"))
        .optional("remove", array(string()).maxItems(16).set());
  }

  // ---- AIServiceBackend -----------------------------------------------------------------------

  private static ObjectSchema backendSpec() {
    return object()
        .required(
            "schema",
            object()
                .required("name", string().oneOf(SCHEMA_NAMES.toArray(String[]::new)))
                .optional("version", string())
                .optional("prefix", string()))
        .required("backendRef", backendObjectReference())
        .optional("headerMutation", headerMutation())
        .optional("bodyMutation", bodyMutation());
  }

  private static ObjectSchema backendObjectReference() {
    return object()
        .optional("group", string().maxLength(253).pattern(GROUP))
        .optional("kind", string().length(1, 63).pattern(KIND))
        .required("name", string().length(1, 253))
        .optional("namespace", string().length(1, 63).pattern(NAMESPACE))
        .optional("port", integer().range(1, 65535))
        .rule(
            "Must have port for Service reference",
            ref ->
                !(hasSizeZero(ref, "group") && isText(ref, "kind", "Service")) || has(ref, "port"))
        .rule(
            "BackendRef must be a Backend resource of Envoy Gateway. See"
                + " https://github.com/envoyproxy/ai-gateway/issues/902 for more details.",
            ref -> isText(ref, "kind", "Backend") && isText(ref, "group", "gateway.envoyproxy.io"));
  }

  // ---- GatewayConfig --------------------------------------------------------------------------

  private static ObjectSchema gatewayConfigSpec() {
    return object()
        .optional("extProc", object().optional("kubernetes", containerSpec()))
        .optional(
            "globalLLMRequestCosts", array(llmRequestCost()).maxItems(36).mapKeyedBy("metadataKey"))
        .optional("forwardProxy", object().required("address", string().minLength(1)));
  }

  /**
   * Envoy Gateway's {@code KubernetesContainerSpec}. The Kubernetes types inside it (a variable's
   * source, quantities, the security context, volume mounts) are kept as written here: the fold
   * checks the sources and quantities it writes, and leaves out and reports those Kubernetes would
   * refuse; the API server checks the security context when the Deployment is applied.
   */
  private static ObjectSchema containerSpec() {
    return object()
        .optional(
            "env",
            array(
                object()
                    .required("name", string())
                    .optional("value", string())
                    .optional("valueFrom", anyObject())))
        .optional(
            "resources",
            object()
                .optional("limits", anyObject())
                .optional("requests", anyObject())
                .optional("claims", array(new AnySchema())))
        .optional("securityContext", anyObject())
        .optional("image", string())
        .optional("imageRepository", string())
        .optional("volumeMounts", array(anyObject()))
        .rule(
            "Either image or imageRepository can be set.",
            spec -> !(has(spec, "image") && has(spec, "imageRepository")))
        .rule(
            "Image must include a tag and allowed characters only (e.g., 'repo:tag').",
            spec -> matchesIfText(spec, "image", IMAGE_WHOLE))
        .rule(
            "ImageRepository must contain only allowed characters and must not include a tag.",
            spec -> matchesIfText(spec, "imageRepository", IMAGE_REPOSITORY_WHOLE));
  }

  private static boolean matchesIfText(JsonNode node, String field, Pattern pattern) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() || pattern.matcher(value.textValue()).find();
  }

  // ---- QuotaPolicy ----------------------------------------------------------------------------

  private static ObjectSchema quotaPolicySpec() {
    return object()
        .optional(
            "targetRefs",
            array(localPolicyTargetReference())
                .maxItems(16)
                .rule(
                    "targetRefs must reference AIServiceBackend resources",
                    all(
                        ref ->
                            isText(ref, "group", "aigateway.envoyproxy.io")
                                && isText(ref, "kind", "AIServiceBackend"))))
        .optional(
            "serviceQuota",
            object().optional("costExpression", string()).required("quota", quotaValue()))
        .optional(
            "perModelQuotas",
            array(
                    object()
                        .required("modelName", string().minLength(1))
                        .required("quota", quotaDefinition()))
                .maxItems(128));
  }

  private static ObjectSchema quotaDefinition() {
    return object()
        .optional("costExpression", string())
        .required("mode", string().oneOf(QuotaPolicy.MODE_SHARED))
        .optional("defaultBucket", quotaValue())
        .optional(
            "bucketRules",
            array(
                object()
                    .optional("clientSelectors", array(clientSelector()).maxItems(8))
                    .required("quota", quotaValue())
                    .optional("shadowMode", new BooleanSchema())));
  }

  private static ObjectSchema quotaValue() {
    return object()
        .required("limit", integer().minimum(0))
        .required("duration", string().oneOf(QuotaPolicy.DURATIONS.toArray(String[]::new)));
  }

  /** Envoy Gateway's {@code RateLimitSelectCondition}. */
  private static ObjectSchema clientSelector() {
    return object()
        .optional(
            "headers",
            array(
                    object()
                        .required("name", string().length(1, 256))
                        .optional("type", string().oneOf("Exact", "RegularExpression", "Distinct"))
                        .optional("value", string().maxLength(1024))
                        .optional("invert", new BooleanSchema()))
                .maxItems(16))
        .optional(
            "methods",
            array(
                object()
                    .required("value", string().oneOf(HTTP_METHODS.toArray(String[]::new)))
                    .optional("invert", new BooleanSchema())))
        .optional(
            "path",
            object()
                .optional("type", string().oneOf("Exact", "PathPrefix", "RegularExpression"))
                .required("value", string().maxLength(1024))
                .optional("invert", new BooleanSchema()))
        .optional(
            "sourceCIDR",
            object()
                .optional("type", string().oneOf("Exact", "Distinct"))
                .required("value", string().length(1, 256)))
        .rule(
            "at least one of headers, methods, path or sourceCIDR must be specified",
            selector ->
                has(selector, "headers")
                    || has(selector, "methods")
                    || has(selector, "path")
                    || has(selector, "sourceCIDR"));
  }

  // ---- BackendSecurityPolicy ------------------------------------------------------------------

  private static ObjectSchema policySpec(boolean v1alpha1) {
    ObjectSchema spec =
        object()
            .optional(
                "targetRefs",
                array(localPolicyTargetReference())
                    .maxItems(16)
                    .rule(
                        "targetRefs must reference AIServiceBackend or InferencePool resources",
                        all(AiGatewaySchemas::isAllowedPolicyTarget)))
            .required("type", string().oneOf(POLICY_TYPES.toArray(String[]::new)))
            .optional("apiKey", secretRefBlock())
            .optional("awsCredentials", awsCredentials())
            .optional("azureAPIKey", secretRefBlock())
            .optional("azureCredentials", azureCredentials())
            .optional("gcpCredentials", gcpCredentials(v1alpha1))
            .optional("anthropicAPIKey", secretRefBlock());
    if (!v1alpha1) {
      spec = spec.optional("credentialOverride", credentialOverride());
    }
    spec = spec.maxProperties(v1alpha1 ? 3 : 4);
    for (int i = 0; i < POLICY_TYPES.size(); i++) {
      String type = POLICY_TYPES.get(i);
      String block = POLICY_BLOCKS.get(i);
      spec =
          spec.rule(
              "When type is " + type + ", only " + block + " field should be set",
              policy -> !isText(policy, "type", type) || onlyBlock(policy, block));
    }
    return spec;
  }

  private static boolean onlyBlock(JsonNode policy, String block) {
    for (String other : POLICY_BLOCKS) {
      if (has(policy, other) != other.equals(block)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllowedPolicyTarget(JsonNode ref) {
    return (isText(ref, "group", "aigateway.envoyproxy.io")
            && isText(ref, "kind", "AIServiceBackend"))
        || (isText(ref, "group", INFERENCE_GROUP) && isText(ref, "kind", "InferencePool"));
  }

  private static ObjectSchema localPolicyTargetReference() {
    return object()
        .required("group", string().maxLength(253).pattern(GROUP))
        .required("kind", string().length(1, 63).pattern(KIND))
        .required("name", string().length(1, 253));
  }

  static ObjectSchema secretObjectReference() {
    return object()
        .optional("group", string().maxLength(253).pattern(GROUP))
        .optional("kind", string().length(1, 63).pattern(KIND))
        .required("name", string().length(1, 253))
        .optional("namespace", string().length(1, 63).pattern(NAMESPACE));
  }

  private static ObjectSchema secretRefBlock() {
    return object().required("secretRef", secretObjectReference());
  }

  private static ObjectSchema awsCredentials() {
    return object()
        .required("region", string().minLength(1))
        .optional(
            "credentialsFile",
            object().required("secretRef", secretObjectReference()).optional("profile", string()))
        .optional(
            "oidcExchangeToken", oidcExchangeToken().required("awsRoleArn", string().minLength(1)));
  }

  private static ObjectSchema azureCredentials() {
    return object()
        .required("clientID", string().minLength(1))
        .required("tenantID", string().minLength(1))
        .optional("clientSecretRef", secretObjectReference())
        .optional("oidcExchangeToken", oidcExchangeToken())
        .rule(
            "Exactly one of clientSecretRef or oidcExchangeToken must be specified",
            azure -> has(azure, "clientSecretRef") != has(azure, "oidcExchangeToken"));
  }

  private static ObjectSchema gcpCredentials(boolean v1alpha1) {
    ObjectSchema gcp =
        object()
            .required("projectName", string().minLength(1))
            .required("region", string().minLength(1))
            .optional("credentialsFile", object().required("secretRef", secretObjectReference()))
            .optional(
                "workloadIdentityFederationConfig",
                object()
                    .required("projectID", string().minLength(1))
                    .required("workloadIdentityProviderName", string().minLength(1))
                    .required("workloadIdentityPoolName", string().minLength(1))
                    .required("oidcExchangeToken", oidcExchangeToken())
                    .optional(
                        "serviceAccountImpersonation",
                        object().required("serviceAccountName", string().minLength(1))));
    if (v1alpha1) {
      return gcp.rule(
          "Exactly one of GCPWorkloadIdentityFederationConfig or GCPCredentialsFile must be"
              + " specified",
          g -> has(g, "credentialsFile") != has(g, "workloadIdentityFederationConfig"));
    }
    return gcp.rule(
        "At most one of credentialsFile or workloadIdentityFederationConfig may be specified",
        g -> !(has(g, "credentialsFile") && has(g, "workloadIdentityFederationConfig")));
  }

  private static ObjectSchema oidcExchangeToken() {
    return object()
        .required("oidc", oidc())
        .optional("grantType", string())
        .optional("aud", string());
  }

  /** Envoy Gateway's {@code OIDC}; the browser-flow blocks aigw ignores are not looked into. */
  private static ObjectSchema oidc() {
    ObjectSchema provider =
        object()
            .required("issuer", string().minLength(1))
            .optional("authorizationEndpoint", string())
            .optional("tokenEndpoint", string())
            .optional("endSessionEndpoint", string())
            .optional("backendRef", new AnySchema())
            .optional("backendRefs", new AnySchema())
            .optional("backendSettings", new AnySchema());
    ObjectSchema oidc =
        object()
            .required("provider", provider)
            .optional("clientID", string().minLength(1))
            .optional("clientIDRef", secretObjectReference())
            .required("clientSecret", secretObjectReference())
            .optional("scopes", array(string()))
            .optional("resources", array(string()));
    for (String name :
        List.of(
            "cookieDomain",
            "redirectURL",
            "logoutPath",
            "defaultTokenTTL",
            "defaultRefreshTokenTTL",
            "csrfTokenTTL")) {
      oidc = oidc.optional(name, string());
    }
    for (String name :
        List.of(
            "forwardAccessToken",
            "refreshToken",
            "disableTokenEncryption",
            "passThroughAuthHeader")) {
      oidc = oidc.optional(name, new BooleanSchema());
    }
    for (String name : List.of("cookieNames", "cookieConfig", "denyRedirect", "forwardIDToken")) {
      oidc = oidc.optional(name, new AnySchema());
    }
    return oidc.rule(
        "only one of clientID or clientIDRef must be set",
        o -> has(o, "clientID") != has(o, "clientIDRef"));
  }

  private static ObjectSchema credentialOverride() {
    return object()
        .optional(
            "fromRequestHeaders",
            object()
                .optional("header", string())
                .optional("fallbackToConfigured", new BooleanSchema()))
        .optional(
            "fromDynamicMetadata",
            object()
                .required("namespace", string().minLength(1))
                .optional("key", string())
                .optional("fallbackToConfigured", new BooleanSchema()))
        .properties(1, 1);
  }

  // ---- CEL building blocks --------------------------------------------------------------------

  static boolean has(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** CEL's {@code size(self.field) == 0}: an empty string, list or map. */
  static boolean hasSizeZero(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null
        && (value.isTextual()
            ? value.textValue().isEmpty()
            : value.isContainerNode() && value.isEmpty());
  }

  static boolean isText(JsonNode node, String field, String expected) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && value.textValue().equals(expected);
  }

  private static boolean hasArray(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isArray() && !value.isEmpty();
  }

  /** {@code self.all(x, p(x))} over the object items of an array. */
  private static Predicate<JsonNode> all(Predicate<JsonNode> item) {
    return array -> {
      for (JsonNode element : array) {
        if (element.isObject() && !item.test(element)) {
          return false;
        }
      }
      return true;
    };
  }

  private static boolean uniqueNames(JsonNode rules) {
    Set<String> seen = new HashSet<>();
    for (JsonNode rule : rules) {
      JsonNode name = rule.get("name");
      if (name != null && name.isTextual() && !seen.add(name.textValue())) {
        return false;
      }
    }
    return true;
  }

  private static final Pattern DURATION_WHOLE = Pattern.compile(DURATION);

  private static boolean backendRequestWithinRequest(JsonNode timeouts) {
    Long request = millis(timeouts.get("request"));
    Long backendRequest = millis(timeouts.get("backendRequest"));
    return request == null || backendRequest == null || request == 0 || backendRequest <= request;
  }

  /** A Gateway API duration in milliseconds; null when absent or not a valid duration. */
  static Long millis(JsonNode value) {
    if (value == null || !value.isTextual() || !DURATION_WHOLE.matcher(value.textValue()).find()) {
      return null;
    }
    return HTTPRouteTimeouts.millis(value.textValue()).getAsLong();
  }
}
