package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** AWS credentials; neither block means the AWS default credential chain. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyAWSCredentials(
    String region, AWSCredentialsFile credentialsFile, AWSOIDCExchangeToken oidcExchangeToken) {}
