package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One rule of an AIGatewayRoute: its matches select its backends. Lists and maps are never null:
 * absent reads as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIGatewayRouteRule(
    String name,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AIGatewayRouteRuleBackendRef> backendRefs,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AIGatewayRouteRuleMatch> matches,
    HTTPRouteTimeouts timeouts,
    String streamIdleTimeout,
    String modelsOwnedBy,
    String modelsCreatedAt) {
  public AIGatewayRouteRule {
    backendRefs = backendRefs == null ? List.of() : List.copyOf(backendRefs);
    matches = matches == null ? List.of() : List.copyOf(matches);
  }
}
