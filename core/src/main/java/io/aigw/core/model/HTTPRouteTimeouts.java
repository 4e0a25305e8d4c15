package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gateway API {@code HTTPRouteTimeouts}; values are Gateway API durations such as {@code 30s}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HTTPRouteTimeouts(String request, String backendRequest) {}
