package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Envoy Gateway {@code OIDC}: the client-credentials fields aigw uses (browser-flow fields are
 * ignored). Lists and maps are never null: absent reads as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OIDC(
    OIDCProvider provider,
    String clientID,
    SecretObjectReference clientIDRef,
    SecretObjectReference clientSecret,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> scopes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> resources) {
  public OIDC {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    resources = resources == null ? List.of() : List.copyOf(resources);
  }
}
