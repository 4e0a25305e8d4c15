package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The desired state of an AIGatewayRoute. Lists and maps are never null: absent reads as empty (and
 * is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIGatewayRouteSpec(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ParentReference> parentRefs,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> hostnames,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AIGatewayRouteRule> rules,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LLMRequestCost> llmRequestCosts) {
  public AIGatewayRouteSpec {
    parentRefs = parentRefs == null ? List.of() : List.copyOf(parentRefs);
    hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    rules = rules == null ? List.of() : List.copyOf(rules);
    llmRequestCosts = llmRequestCosts == null ? List.of() : List.copyOf(llmRequestCosts);
  }
}
