package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One match of a rule: all of its headers must match. Lists and maps are never null: absent reads
 * as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIGatewayRouteRuleMatch(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<HTTPHeaderMatch> headers) {
  public AIGatewayRouteRuleMatch {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }
}
