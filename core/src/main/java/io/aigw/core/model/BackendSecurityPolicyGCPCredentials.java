package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * GCP credentials. Upstream reads neither block as Application Default Credentials, which the
 * ExtProc does not use: such a policy passes only requests that bring their own token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyGCPCredentials(
    String projectName,
    String region,
    GCPCredentialsFile credentialsFile,
    GCPWorkloadIdentityFederationConfig workloadIdentityFederationConfig) {}
