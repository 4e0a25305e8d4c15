package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An OIDC token exchanged with AWS STS for the role {@code awsRoleArn}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AWSOIDCExchangeToken(OIDC oidc, String grantType, String aud, String awsRoleArn) {}
