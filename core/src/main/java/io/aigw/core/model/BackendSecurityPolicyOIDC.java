package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How to obtain an OIDC token that is exchanged for provider credentials (Azure and GCP {@code
 * oidcExchangeToken}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyOIDC(OIDC oidc, String grantType, String aud) {}
