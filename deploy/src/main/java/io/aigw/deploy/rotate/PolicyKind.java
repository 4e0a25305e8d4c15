package io.aigw.deploy.rotate;

import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.BackendSecurityPolicySpec;
import java.util.Optional;

/** The policies whose credentials the controller rotates. */
enum PolicyKind {
  AWS_OIDC,
  AZURE,
  GCP_WIF;

  static Optional<PolicyKind> of(BackendSecurityPolicy policy) {
    BackendSecurityPolicySpec spec = policy.spec();
    if (spec == null || spec.type() == null) {
      return Optional.empty();
    }
    return switch (spec.type()) {
      case "AWSCredentials" ->
          spec.awsCredentials() != null && spec.awsCredentials().oidcExchangeToken() != null
              ? Optional.of(AWS_OIDC)
              : Optional.empty();
      case "AzureCredentials" ->
          spec.azureCredentials() != null ? Optional.of(AZURE) : Optional.empty();
      case "GCPCredentials" ->
          spec.gcpCredentials() != null
                  && spec.gcpCredentials().workloadIdentityFederationConfig() != null
              ? Optional.of(GCP_WIF)
              : Optional.empty();
      default -> Optional.empty();
    };
  }
}
