package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Envoy Gateway {@code OIDCProvider}: the fields aigw uses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OIDCProvider(String issuer, String authorizationEndpoint, String tokenEndpoint) {}
