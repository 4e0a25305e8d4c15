package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * Everything the ExtProc of one AIGatewayRoute needs: how to pick a backend for a request, how to
 * talk to it, where its credentials are and which costs to report. One config per route; see {@code
 * package-info.java} for the whole format.
 *
 * @param version the format version, always {@link #VERSION}; a reader refuses any other
 * @param routeNamespace namespace of the AIGatewayRoute this config serves
 * @param routeName name of the AIGatewayRoute this config serves
 * @param hostnames the route's hostnames (informational: Envoy already matched them)
 * @param metadataNamespace the dynamic-metadata namespace costs are written to
 * @param modelNameHeaderKey the header the ExtProc writes the request's model into
 * @param selectedBackendHeaderKey the header the ExtProc writes the chosen backend into; the
 *     generated HTTPRoute routes on it
 * @param rules the route's rules in order; the first rule whose match succeeds is taken
 * @param backends every backend the rules name, in order of first appearance
 * @param llmRequestCosts the costs to compute from token usage after each response
 * @param models the models {@code GET /v1/models} lists
 * @param apiPaths where the ExtProc serves the APIs (the controller's root and endpoint prefixes);
 *     left out of the text when they are the defaults, so the configs of a gateway that sets none
 *     read as they always did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record FilterConfig(
    String version,
    String routeNamespace,
    String routeName,
    List<String> hostnames,
    String metadataNamespace,
    String modelNameHeaderKey,
    String selectedBackendHeaderKey,
    List<Rule> rules,
    List<Backend> backends,
    List<LlmRequestCost> llmRequestCosts,
    List<Model> models,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultApiPaths.class)
        ApiPaths apiPaths) {

  /** The format version this code reads and writes. */
  public static final String VERSION = "aigw.filterconfig/v1";

  /** Where costs go in Envoy's dynamic metadata (shared with Envoy access logs and rate limits). */
  public static final String METADATA_NAMESPACE = "io.envoy.ai_gateway";

  public static final String MODEL_NAME_HEADER_KEY = "x-ai-eg-model";
  public static final String SELECTED_BACKEND_HEADER_KEY = "x-ai-eg-selected-backend";

  /**
   * Which of the selected backend's rules in the generated HTTPRoute takes a request, when the
   * route's rules give it more than one set of timeouts ({@link RuleBackend#backendRule}). The
   * ExtProc sets it, or removes one a client sent.
   */
  public static final String BACKEND_RULE_HEADER = "x-aigw-backend-rule";

  public FilterConfig {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(routeNamespace, "routeNamespace");
    Objects.requireNonNull(routeName, "routeName");
    hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    metadataNamespace = metadataNamespace == null ? METADATA_NAMESPACE : metadataNamespace;
    modelNameHeaderKey = modelNameHeaderKey == null ? MODEL_NAME_HEADER_KEY : modelNameHeaderKey;
    selectedBackendHeaderKey =
        selectedBackendHeaderKey == null ? SELECTED_BACKEND_HEADER_KEY : selectedBackendHeaderKey;
    rules = rules == null ? List.of() : List.copyOf(rules);
    backends = backends == null ? List.of() : List.copyOf(backends);
    llmRequestCosts = llmRequestCosts == null ? List.of() : List.copyOf(llmRequestCosts);
    models = models == null ? List.of() : List.copyOf(models);
    apiPaths = apiPaths == null ? ApiPaths.DEFAULT : apiPaths;
  }

  /** This config served at {@code paths}. */
  public FilterConfig withApiPaths(ApiPaths paths) {
    return new FilterConfig(
        version,
        routeNamespace,
        routeName,
        hostnames,
        metadataNamespace,
        modelNameHeaderKey,
        selectedBackendHeaderKey,
        rules,
        backends,
        llmRequestCosts,
        models,
        paths);
  }

  /** Jackson's test for {@code apiPaths} to leave out: the defaults. */
  static final class DefaultApiPaths {
    @Override
    public boolean equals(Object value) {
      return value == null || ApiPaths.DEFAULT.equals(value);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** A config of the current version with the default header keys and metadata namespace. */
  public static FilterConfig of(
      String routeNamespace,
      String routeName,
      List<String> hostnames,
      List<Rule> rules,
      List<Backend> backends,
      List<LlmRequestCost> llmRequestCosts,
      List<Model> models) {
    return new FilterConfig(
        VERSION,
        routeNamespace,
        routeName,
        hostnames,
        METADATA_NAMESPACE,
        MODEL_NAME_HEADER_KEY,
        SELECTED_BACKEND_HEADER_KEY,
        rules,
        backends,
        llmRequestCosts,
        models,
        ApiPaths.DEFAULT);
  }

  /** {@code namespace/name} of the route, the {@code route_name} of cost expressions. */
  public String routeRef() {
    return routeNamespace + "/" + routeName;
  }

  /**
   * The dynamic-metadata namespaces the backends' credential overrides read, sorted: Envoy sends
   * the ExtProc only the namespaces its filter forwards.
   */
  public List<String> metadataNamespacesRead() {
    return backends.stream()
        .map(Backend::credentialOverride)
        .filter(o -> o != null && o.readsMetadata())
        .map(CredentialOverride::dynamicMetadataNamespace)
        .distinct()
        .sorted()
        .toList();
  }
}
