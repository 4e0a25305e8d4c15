package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * How the ExtProc authenticates to a backend, one variant per BackendSecurityPolicy type. Written
 * as an object with exactly one key naming the variant ({@code apiKey}, {@code azureAPIKey}, {@code
 * anthropicAPIKey}, {@code aws}, {@code azure}, {@code gcp}). Every credential is a {@link
 * CredentialFile}: a mounted file path and the Secret key behind it; the ExtProc reads whichever
 * its run mode has.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
  @JsonSubTypes.Type(value = BackendAuth.ApiKey.class, name = "apiKey"),
  @JsonSubTypes.Type(value = BackendAuth.AzureApiKey.class, name = "azureAPIKey"),
  @JsonSubTypes.Type(value = BackendAuth.AnthropicApiKey.class, name = "anthropicAPIKey"),
  @JsonSubTypes.Type(value = BackendAuth.Aws.class, name = "aws"),
  @JsonSubTypes.Type(value = BackendAuth.Azure.class, name = "azure"),
  @JsonSubTypes.Type(value = BackendAuth.Gcp.class, name = "gcp")
})
public sealed interface BackendAuth {

  /** {@code Authorization: Bearer <key>}, the key whitespace-trimmed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ApiKey(CredentialFile key) implements BackendAuth {
    public ApiKey {
      Objects.requireNonNull(key, "key");
    }
  }

  /** {@code api-key: <key>} (Azure OpenAI). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AzureApiKey(CredentialFile key) implements BackendAuth {
    public AzureApiKey {
      Objects.requireNonNull(key, "key");
    }
  }

  /** {@code x-api-key: <key>} (Anthropic). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AnthropicApiKey(CredentialFile key) implements BackendAuth {
    public AnthropicApiKey {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * AWS SigV4 signing for service {@code bedrock}.
   *
   * @param region the policy's region: the signing region, unless {@code host} names another
   * @param credentialsFile an AWS INI credentials file (the user's Secret key {@code credentials},
   *     or for OIDC the rotated Secret {@code ai-eg-bsp-<policy>}), or null for the AWS default
   *     credential chain (environment, IRSA, shared file, EKS Pod Identity; no instance role)
   * @param profile the profile to read from the file ({@code default} unless configured)
   * @param host the host Envoy sends the requests to, which the signature covers: the backend's own
   *     (a FIPS or PrivateLink endpoint), or null for {@code
   *     bedrock-runtime.<region>.amazonaws.com}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder(alphabetic = true)
  record Aws(String region, CredentialFile credentialsFile, String profile, String host)
      implements BackendAuth {
    public Aws {
      Objects.requireNonNull(region, "region");
      profile = profile == null ? "default" : profile;
    }

    /** Signed for the region's public endpoint. */
    public Aws(String region, CredentialFile credentialsFile, String profile) {
      this(region, credentialsFile, profile, null);
    }

    /** Signed for {@code host}, the backend's own endpoint. */
    public Aws withHost(String host) {
      return new Aws(region, credentialsFile, profile, host);
    }

    /** The region's public Bedrock endpoint, which a backend without a host of its own is. */
    public String publicHost() {
      return "bedrock-runtime." + region + ".amazonaws.com";
    }
  }

  /**
   * Azure Entra ID: {@code Authorization: Bearer <access token>} for scope {@code
   * https://cognitiveservices.azure.com/.default}. The token always comes from the controller's
   * rotator (Secret {@code ai-eg-bsp-<policy>}, key {@code azureAccessToken}), whether the policy
   * holds a client secret or an OIDC exchange: the ExtProc never sees the client secret.
   *
   * @param clientID the application (client) id
   * @param tenantID the directory (tenant) id
   * @param accessToken the rotated access token
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder(alphabetic = true)
  record Azure(String clientID, String tenantID, CredentialFile accessToken)
      implements BackendAuth {}

  /**
   * GCP Vertex AI: requests go to {@code /v1/projects/<projectName>/locations/<region>/…} with
   * {@code Authorization: Bearer <token>}.
   *
   * @param projectName the GCP project
   * @param region the GCP region
   * @param credentialsFile a service-account key (Secret key {@code service_account.json}), or null
   * @param accessToken a rotated access token (Secret {@code ai-eg-bsp-<policy>}, key {@code
   *     gcpAccessToken}) for Workload Identity Federation, else null; with neither, only requests
   *     that bring their own token (a credential override) can pass: the ExtProc does not read
   *     Application Default Credentials, and the policy's status says so
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder(alphabetic = true)
  record Gcp(
      String projectName, String region, CredentialFile credentialsFile, CredentialFile accessToken)
      implements BackendAuth {
    public Gcp {
      Objects.requireNonNull(projectName, "projectName");
      Objects.requireNonNull(region, "region");
    }
  }
}
