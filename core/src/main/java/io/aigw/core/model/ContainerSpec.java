package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
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
    volumeMounts = volumeMounts == null ? List.of() : List.copyOf(volumeMounts);
  }

  /**
   * A variable: a literal {@code value} or a {@code valueFrom} source as Kubernetes spells it (a
   * Secret's or ConfigMap's key, a field of the pod, a resource of the container).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ContainerEnvVar(String name, String value, JsonNode valueFrom) {}

  /**
   * Requests and limits by resource name (a quantity written as a YAML number reads as its text),
   * and claims of dynamic resources, as written.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ResourceRequirements(
      Map<String, String> limits, Map<String, String> requests, JsonNode claims) {
    public ResourceRequirements {
      limits = limits == null ? Map.of() : Map.copyOf(limits);
      requests = requests == null ? Map.of() : Map.copyOf(requests);
    }
  }
}
