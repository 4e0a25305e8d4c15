package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One token-usage figure the gateway records as dynamic metadata under {@code metadataKey}; {@code
 * cel} only for type {@code CEL}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LLMRequestCost(String metadataKey, String type, String cel) {}
