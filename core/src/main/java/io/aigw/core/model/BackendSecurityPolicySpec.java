package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The desired state of a BackendSecurityPolicy: one credential block, selected by {@code type}.
 * Lists and maps are never null: absent reads as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendSecurityPolicySpec(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LocalPolicyTargetReference> targetRefs,
    String type,
    BackendSecurityPolicyAPIKey apiKey,
    BackendSecurityPolicyAzureAPIKey azureAPIKey,
    BackendSecurityPolicyAnthropicAPIKey anthropicAPIKey,
    BackendSecurityPolicyAWSCredentials awsCredentials,
    BackendSecurityPolicyAzureCredentials azureCredentials,
    BackendSecurityPolicyGCPCredentials gcpCredentials,
    BackendSecurityPolicyCredentialOverride credentialOverride) {
  public BackendSecurityPolicySpec {
    targetRefs = targetRefs == null ? List.of() : List.copyOf(targetRefs);
  }
}
