package io.aigw.extproc.auth;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Turns a backend's auth into the headers of the upstream request: a key or token header, or an AWS
 * SigV4 signature over the final path and body. A credential the request brought ({@link
 * CredentialOverrides}) replaces the configured one. Values are never logged: {@link AuthHeader}
 * redacts itself.
 */
public final class CredentialInjector {

  private static final AwsCredentialsFile AWS_FILES = new AwsCredentialsFile();

  private CredentialInjector() {}

  /** One header to set on the upstream request. */
  public record AuthHeader(String name, String value) {
    @Override
    public String toString() {
      return "AuthHeader[" + name + "=<redacted>]";
    }
  }

  /** The headers, or why there are none: the request must then not go out. */
  public sealed interface Outcome {
    /** Headers to set (possibly none). */
    record Headers(List<AuthHeader> headers) implements Outcome {}

    /** The credential could not be produced. */
    record Unavailable(String reason) implements Outcome {}
  }

  /**
   * The request as it leaves, for signing.
   *
   * @param method the HTTP method
   * @param path the upstream {@code :path}
   * @param body the exact bytes sent
   */
  public record Outbound(String method, String path, byte[] body) {}

  /** Headers for {@code auth} on a request without a body to sign (no auth → no headers). */
  public static Outcome headers(Optional<BackendAuth> auth, CredentialSource source) {
    return headers(
        auth, source, new Outbound("POST", "/", new byte[0]), Optional.empty(), Clock.systemUTC());
  }

  /**
   * Headers for {@code auth} on {@code request}.
   *
   * @param supplied a credential the request brought, used instead of the configured one
   * @param clock the signing time for SigV4
   */
  public static Outcome headers(
      Optional<BackendAuth> auth,
      CredentialSource source,
      Outbound request,
      Optional<RequestCredential> supplied,
      Clock clock) {
    if (auth.isEmpty()) {
      return new Outcome.Headers(List.of());
    }
    BackendAuth value = auth.get();
    if (value instanceof BackendAuth.Aws aws) {
      return aws(aws, source, request, supplied, clock);
    }
    Optional<String> token =
        supplied
            .filter(RequestCredential.Token.class::isInstance)
            .map(c -> ((RequestCredential.Token) c).value());
    if (value instanceof BackendAuth.ApiKey apiKey) {
      return single(source, apiKey.key(), token, "authorization", "Bearer ");
    }
    if (value instanceof BackendAuth.AzureApiKey key) {
      return single(source, key.key(), token, "api-key", "");
    }
    if (value instanceof BackendAuth.AnthropicApiKey key) {
      return single(source, key.key(), token, "x-api-key", "");
    }
    if (value instanceof BackendAuth.Azure azure) {
      if (azure.accessToken() == null && token.isEmpty()) {
        return new Outcome.Unavailable(
            "Azure client-secret policies need the controller's token rotator"
                + " (Secret ai-eg-bsp-<policy>, key azureAccessToken)");
      }
      return single(source, azure.accessToken(), token, "authorization", "Bearer ");
    }
    return gcp((BackendAuth.Gcp) value, source, token, clock);
  }

  private static Outcome gcp(
      BackendAuth.Gcp gcp, CredentialSource source, Optional<String> token, Clock clock) {
    if (token.isPresent() || gcp.accessToken() != null) {
      return single(source, gcp.accessToken(), token, "authorization", "Bearer ");
    }
    if (gcp.credentialsFile() == null) {
      return applicationDefault(clock);
    }
    Optional<String> key = source.read(gcp.credentialsFile());
    if (key.isEmpty()) {
      return unavailable(gcp.credentialsFile());
    }
    try {
      String jwt = GcpServiceAccountTokens.SHARED.token(key.get(), clock.instant());
      return new Outcome.Headers(List.of(new AuthHeader("authorization", "Bearer " + jwt)));
    } catch (IllegalArgumentException e) {
      return new Outcome.Unavailable("GCP service-account key unusable: " + e.getMessage());
    }
  }

  /** Neither a token nor a key file: GCP's Application Default Credentials, as upstream. */
  private static Outcome applicationDefault(Clock clock) {
    try {
      Optional<String> token = GcpDefaultCredentials.SHARED.token(clock.instant());
      if (token.isEmpty()) {
        return new Outcome.Unavailable(
            "no GCP Application Default Credentials yet: no token from the metadata server (GKE"
                + " Workload Identity, a GCE service account) and no key in"
                + " GOOGLE_APPLICATION_CREDENTIALS");
      }
      return new Outcome.Headers(List.of(new AuthHeader("authorization", "Bearer " + token.get())));
    } catch (IllegalArgumentException e) {
      return new Outcome.Unavailable(e.getMessage());
    }
  }

  private static Outcome aws(
      BackendAuth.Aws aws,
      CredentialSource source,
      Outbound request,
      Optional<RequestCredential> supplied,
      Clock clock) {
    Optional<RequestCredential.AwsKeys> keys =
        supplied
            .filter(RequestCredential.AwsKeys.class::isInstance)
            .map(RequestCredential.AwsKeys.class::cast);
    if (keys.isEmpty() && aws.credentialsFile() != null) {
      Optional<String> text = source.read(aws.credentialsFile());
      if (text.isEmpty()) {
        return unavailable(aws.credentialsFile());
      }
      keys = AWS_FILES.keys(text.get(), aws.profile());
      if (keys.isEmpty()) {
        return new Outcome.Unavailable(
            "no keys for profile " + aws.profile() + " in " + aws.credentialsFile().path());
      }
    }
    if (keys.isEmpty()) {
      keys = AwsDefaultCredentials.SHARED.keys();
    }
    if (keys.isEmpty()) {
      return new Outcome.Unavailable(
          "no AWS credentials: no credentials file configured, none in the environment, and"
              + " none (yet) from the pod's identity");
    }
    return new Outcome.Headers(
        SigV4Signer.sign(keys.get(), BedrockEndpoint.scopeOf(aws), request, clock));
  }

  private static Outcome single(
      CredentialSource source,
      CredentialFile file,
      Optional<String> supplied,
      String header,
      String prefix) {
    Optional<String> value =
        supplied.isPresent()
            ? supplied
            : source.read(file).map(String::strip).filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return unavailable(file);
    }
    if (!headerSafe(value.get())) {
      // Envoy refuses such a header, and the request would fail without a word of why
      return new Outcome.Unavailable(
          "the credential "
              + (supplied.isPresent() ? "the request supplied" : "in " + file.path())
              + " holds a line break or another control character, which a header cannot carry");
    }
    return new Outcome.Headers(List.of(new AuthHeader(header, prefix + value.get())));
  }

  /** No control characters (line breaks, NUL, DEL): what an HTTP header value may carry. */
  private static boolean headerSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static Outcome unavailable(CredentialFile file) {
    return new Outcome.Unavailable(
        "no credential in "
            + file.path()
            + " (Secret "
            + file.secret().namespace()
            + "/"
            + file.secret().name()
            + " key "
            + file.secret().key()
            + ")");
  }
}
