package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** GCP Workload Identity Federation: an OIDC token exchanged through a workload identity pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GCPWorkloadIdentityFederationConfig(
    String projectID,
    String workloadIdentityProviderName,
    String workloadIdentityPoolName,
    BackendSecurityPolicyOIDC oidcExchangeToken,
    GCPServiceAccountImpersonationConfig serviceAccountImpersonation) {}
