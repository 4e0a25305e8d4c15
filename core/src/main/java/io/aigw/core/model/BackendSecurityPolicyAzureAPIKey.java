package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An Azure OpenAI API key sent as {@code api-key}; the Secret key is {@code apiKey}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicyAzureAPIKey(SecretObjectReference secretRef) {}
