package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** GCP credentials; neither block means Application Default Credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyGCPCredentials(
    String projectName,
    String region,
    GCPCredentialsFile credentialsFile,
    GCPWorkloadIdentityFederationConfig workloadIdentityFederationConfig) {}
