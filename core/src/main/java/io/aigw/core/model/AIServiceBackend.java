package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An {@code aigateway.envoyproxy.io/v1beta1} AIServiceBackend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIServiceBackend(
    String apiVersion, String kind, ObjectMeta metadata, AIServiceBackendSpec spec)
    implements AiResource {}
