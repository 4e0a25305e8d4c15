package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Map;

/**
 * Envoy Gateway's {@code KubernetesContainerSpec}, as a GatewayConfig gives it for the ExtProc
 * container. The security context and the volume mounts are kept as written: their content is
 * Kubernetes' own, which the API server checks when the Deployment is applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerSpec(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ContainerEnvVar> env,
    ResourceRequirements resources,
    JsonNode securityContext,
    String image,
    String imageRepository,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JsonNode> volumeMounts) {

  public ContainerSpec {
    env = env == null ? List.of() : List.copyOf(env);
    // trees are mutable, and a version is shared by every state that has it: the record keeps
    // copies of its own
    securityContext = securityContext == null ? null : securityContext.deepCopy();
    volumeMounts =
        volumeMounts == null
            ? List.of()
            : volumeMounts.stream().map(JsonNode::deepCopy).map(JsonNode.class::cast).toList();
  }

  /**
   * A variable: a literal {@code value} or a {@code valueFrom} source as Kubernetes spells it (a
   * Secret's or ConfigMap's key, a field of the pod, a resource of the container).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ContainerEnvVar(String name, String value, JsonNode valueFrom) {
    public ContainerEnvVar {
      valueFrom = valueFrom == null ? null : valueFrom.deepCopy();
    }
  }

  /**
   * Requests and limits by resource name, and claims of dynamic resources, as written: a quantity
   * may be a string or a YAML number, and whatever else a user wrote is for the fold to refuse.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ResourceRequirements(
      Map<String, JsonNode> limits, Map<String, JsonNode> requests, JsonNode claims) {
    public ResourceRequirements {
      limits = limits == null ? Map.of() : copies(limits);
      requests = requests == null ? Map.of() : copies(requests);
      claims = claims == null ? null : claims.deepCopy();
    }

    private static Map<String, JsonNode> copies(Map<String, JsonNode> quantities) {
      Map<String, JsonNode> copy = new java.util.TreeMap<>();
      quantities.forEach(
          (name, quantity) ->
              copy.put(name, quantity == null ? NullNode.getInstance() : quantity.deepCopy()));
      return java.util.Collections.unmodifiableMap(copy);
    }
  }
}
