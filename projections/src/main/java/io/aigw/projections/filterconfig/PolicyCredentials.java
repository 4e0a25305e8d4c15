package io.aigw.projections.filterconfig;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.BackendSecurityPolicyAWSCredentials;
import io.aigw.core.model.BackendSecurityPolicyAzureCredentials;
import io.aigw.core.model.BackendSecurityPolicyCredentialOverride;
import io.aigw.core.model.BackendSecurityPolicyGCPCredentials;
import io.aigw.core.model.BackendSecurityPolicySpec;
import io.aigw.core.model.SecretObjectReference;
import io.aigw.core.model.gateway.Names;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a BackendSecurityPolicy means for the ExtProc: the one Secret it reads, the {@link
 * BackendAuth} pointing at it, and the credential override. Pure functions of the policy.
 */
public final class PolicyCredentials {

  /**
   * The Secret key the ExtProc reads for a policy. {@code rotated} Secrets ({@code
   * ai-eg-bsp-<policy>}) are written by a credential rotator, not by the user, so their absence is
   * not the user's error; {@code field} is the policy field that names a user Secret.
   */
  public record SecretUse(
      String field, String namespace, String name, String key, boolean rotated) {}

  private PolicyCredentials() {}

  /** The Secret the policy's credential comes from, if the credential is in a Secret at all. */
  public static Optional<SecretUse> secretOf(BackendSecurityPolicy policy) {
    BackendSecurityPolicySpec spec = policy.spec();
    String ns = policy.metadata().namespace();
    String name = policy.metadata().name();
    if (spec == null || spec.type() == null) {
      return Optional.empty();
    }
    return switch (spec.type()) {
      case "APIKey" -> user("spec.apiKey.secretRef", ns, spec.apiKey().secretRef(), "apiKey");
      case "AzureAPIKey" ->
          user("spec.azureAPIKey.secretRef", ns, spec.azureAPIKey().secretRef(), "apiKey");
      case "AnthropicAPIKey" ->
          user("spec.anthropicAPIKey.secretRef", ns, spec.anthropicAPIKey().secretRef(), "apiKey");
      case "AWSCredentials" -> aws(spec.awsCredentials(), ns, name);
      case "AzureCredentials" -> azure(spec.azureCredentials(), ns, name);
      case "GCPCredentials" -> gcp(spec.gcpCredentials(), ns, name);
      default -> Optional.empty();
    };
  }

  private static Optional<SecretUse> aws(
      BackendSecurityPolicyAWSCredentials aws, String ns, String policy) {
    if (aws.credentialsFile() != null && aws.credentialsFile().secretRef() != null) {
      return user(
          "spec.awsCredentials.credentialsFile.secretRef",
          ns,
          aws.credentialsFile().secretRef(),
          "credentials");
    }
    return aws.oidcExchangeToken() != null
        ? Optional.of(rotated(ns, policy, "credentials"))
        : Optional.empty();
  }

  private static Optional<SecretUse> azure(
      BackendSecurityPolicyAzureCredentials azure, String ns, String policy) {
    if (azure.clientSecretRef() != null) {
      return user(
          "spec.azureCredentials.clientSecretRef", ns, azure.clientSecretRef(), "client-secret");
    }
    return azure.oidcExchangeToken() != null
        ? Optional.of(rotated(ns, policy, "azureAccessToken"))
        : Optional.empty();
  }

  private static Optional<SecretUse> gcp(
      BackendSecurityPolicyGCPCredentials gcp, String ns, String policy) {
    if (gcp.credentialsFile() != null && gcp.credentialsFile().secretRef() != null) {
      return user(
          "spec.gcpCredentials.credentialsFile.secretRef",
          ns,
          gcp.credentialsFile().secretRef(),
          "service_account.json");
    }
    return gcp.workloadIdentityFederationConfig() != null
        ? Optional.of(rotated(ns, policy, "gcpAccessToken"))
        : Optional.empty();
  }

  private static Optional<SecretUse> user(
      String field, String policyNamespace, SecretObjectReference ref, String key) {
    if (ref == null || ref.name() == null) {
      return Optional.empty();
    }
    String ns =
        ref.namespace() == null || ref.namespace().isEmpty() ? policyNamespace : ref.namespace();
    return Optional.of(new SecretUse(field, ns, ref.name(), key, false));
  }

  private static SecretUse rotated(String ns, String policy, String key) {
    return new SecretUse(null, ns, Names.rotatedSecret(policy), key, true);
  }

  /**
   * The Secret the ExtProc mounts for the policy: the one {@link #secretOf} names, except for an
   * Azure client secret, which only the controller's rotator reads to obtain the access token it
   * writes to {@code ai-eg-bsp-<policy>}.
   */
  public static Optional<SecretUse> mountOf(BackendSecurityPolicy policy) {
    BackendSecurityPolicySpec spec = policy.spec();
    if (spec != null
        && "AzureCredentials".equals(spec.type())
        && spec.azureCredentials().clientSecretRef() != null) {
      return Optional.of(
          rotated(policy.metadata().namespace(), policy.metadata().name(), "azureAccessToken"));
    }
    return secretOf(policy);
  }

  /** The ExtProc's auth for the policy, its Secret mounted at volume {@code volume}. */
  public static Optional<BackendAuth> auth(BackendSecurityPolicy policy, String volume) {
    BackendSecurityPolicySpec spec = policy.spec();
    Optional<CredentialFile> file = mountOf(policy).map(use -> file(use, volume));
    return switch (spec.type()) {
      case "APIKey" -> file.map(BackendAuth.ApiKey::new);
      case "AzureAPIKey" -> file.map(BackendAuth.AzureApiKey::new);
      case "AnthropicAPIKey" -> file.map(BackendAuth.AnthropicApiKey::new);
      case "AWSCredentials" -> {
        var aws = spec.awsCredentials();
        String profile = aws.credentialsFile() == null ? null : aws.credentialsFile().profile();
        yield Optional.of(new BackendAuth.Aws(aws.region(), file.orElse(null), profile));
      }
      case "AzureCredentials" -> {
        var azure = spec.azureCredentials();
        yield Optional.of(
            new BackendAuth.Azure(azure.clientID(), azure.tenantID(), file.orElse(null)));
      }
      case "GCPCredentials" -> {
        var gcp = spec.gcpCredentials();
        boolean rotated = gcp.credentialsFile() == null;
        yield Optional.of(
            new BackendAuth.Gcp(
                gcp.projectName(),
                gcp.region(),
                rotated ? null : file.orElse(null),
                rotated ? file.orElse(null) : null));
      }
      default -> Optional.empty();
    };
  }

  private static CredentialFile file(SecretUse use, String volume) {
    return new CredentialFile(
        Names.secretMountPath(volume) + "/" + use.key(),
        new CredentialFile.SecretKeyRef(use.namespace(), use.name(), use.key()));
  }

  /** Where a request may bring its own credential, with the type's default header and key. */
  public static Optional<CredentialOverride> override(BackendSecurityPolicy policy) {
    BackendSecurityPolicyCredentialOverride override = policy.spec().credentialOverride();
    if (override == null) {
      return Optional.empty();
    }
    String type = policy.spec().type();
    boolean aws = "AWSCredentials".equals(type);
    if (override.fromRequestHeaders() != null) {
      var from = override.fromRequestHeaders();
      String header =
          (from.header() == null ? defaultHeader(type) : from.header()).toLowerCase(Locale.ROOT);
      List<String> remove =
          aws
              ? List.of(
                  header + "access-key-id", header + "secret-access-key", header + "session-token")
              : List.of(header);
      return Optional.of(
          new CredentialOverride(
              header, null, null, fallback(from.fallbackToConfigured()), remove));
    }
    if (override.fromDynamicMetadata() != null) {
      var from = override.fromDynamicMetadata();
      String key =
          from.key() != null ? from.key() : aws ? "x-aigw-aws-credentials" : defaultHeader(type);
      return Optional.of(
          new CredentialOverride(
              null, from.namespace(), key, fallback(from.fallbackToConfigured()), List.of()));
    }
    return Optional.empty();
  }

  private static boolean fallback(Boolean fallbackToConfigured) {
    return fallbackToConfigured == null || fallbackToConfigured;
  }

  /**
   * Why the override cannot work: falling back to a configured credential needs one. As upstream
   * judges it, the AWS default chain counts and GCP's Application Default Credentials do not,
   * though the ExtProc reads them for a policy without an override.
   */
  public static Optional<String> overrideProblem(BackendSecurityPolicy policy) {
    Optional<CredentialOverride> override = override(policy);
    if (override.isEmpty() || !override.get().fallbackToConfigured()) {
      return Optional.empty();
    }
    boolean configured =
        switch (policy.spec().type()) {
          case "AWSCredentials", "AzureCredentials" -> true;
          default -> secretOf(policy).isPresent();
        };
    return configured
        ? Optional.empty()
        : Optional.of(
            "spec.credentialOverride: fallbackToConfigured is true but no credential is configured"
                + " to fall back to");
  }

  /**
   * A failed rotation in the words of a status: the field holding what was rotated ({@code
   * spec.awsCredentials.oidcExchangeToken}, {@code spec.azureCredentials}, {@code
   * spec.gcpCredentials.workloadIdentityFederationConfig}) and why.
   */
  public static String rotationProblem(BackendSecurityPolicy policy, String failure) {
    String field =
        switch (policy.spec().type()) {
          case "AWSCredentials" -> "spec.awsCredentials.oidcExchangeToken";
          case "AzureCredentials" -> "spec.azureCredentials";
          case "GCPCredentials" -> "spec.gcpCredentials.workloadIdentityFederationConfig";
          default -> "spec";
        };
    return field + ": the credential could not be rotated: " + failure;
  }

  private static String defaultHeader(String type) {
    return switch (type) {
      case "APIKey" -> "x-aigw-api-key";
      case "AnthropicAPIKey" -> "x-aigw-anthropic-api-key";
      case "AzureAPIKey" -> "x-aigw-azure-api-key";
      case "AzureCredentials" -> "x-aigw-azure-access-token";
      case "GCPCredentials" -> "x-aigw-gcp-access-token";
      case "AWSCredentials" -> "x-aigw-aws-";
      default -> "x-aigw-credential";
    };
  }
}
