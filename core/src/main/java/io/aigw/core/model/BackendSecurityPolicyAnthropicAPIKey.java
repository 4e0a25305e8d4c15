package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An Anthropic API key sent as {@code x-api-key}; the Secret key is {@code apiKey}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyAnthropicAPIKey(SecretObjectReference secretRef) {}
