package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-request credential sourcing; exactly one source is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyCredentialOverride(
    CredentialOverrideFromRequestHeaders fromRequestHeaders,
    CredentialOverrideFromDynamicMetadata fromDynamicMetadata) {}
