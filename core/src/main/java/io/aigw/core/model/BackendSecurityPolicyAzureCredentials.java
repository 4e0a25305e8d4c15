package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Azure Entra ID credentials: a client secret or an OIDC token exchange. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyAzureCredentials(
    String clientID,
    String tenantID,
    SecretObjectReference clientSecretRef,
    BackendSecurityPolicyOIDC oidcExchangeToken) {}
