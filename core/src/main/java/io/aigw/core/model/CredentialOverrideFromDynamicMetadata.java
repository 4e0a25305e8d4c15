package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Take the credential from Envoy dynamic metadata set by a trusted filter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CredentialOverrideFromDynamicMetadata(
    String namespace, String key, Boolean fallbackToConfigured) {}
