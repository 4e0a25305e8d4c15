package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A backend of a rule: an AIServiceBackend (no group/kind) or an InferencePool (group and kind
 * set).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIGatewayRouteRuleBackendRef(
    String name,
    String namespace,
    String group,
    String kind,
    String modelNameOverride,
    HTTPHeaderMutation headerMutation,
    HTTPBodyMutation bodyMutation,
    Integer weight,
    Long priority) {}
