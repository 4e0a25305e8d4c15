package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Gateway API {@code BackendObjectReference}: the Envoy Gateway Backend that serves an
 * AIServiceBackend.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendObjectReference(
    String group, String kind, String name, String namespace, Integer port) {}
