package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An AWS credentials file in a Secret (key {@code credentials}) and the profile to use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AWSCredentialsFile(SecretObjectReference secretRef, String profile) {}
