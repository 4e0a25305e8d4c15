package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An {@code aigateway.envoyproxy.io/v1beta1} AIGatewayRoute. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIGatewayRoute(
    String apiVersion, String kind, ObjectMeta metadata, AIGatewayRouteSpec spec)
    implements AiResource {}
