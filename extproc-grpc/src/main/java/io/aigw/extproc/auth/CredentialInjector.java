package io.aigw.extproc.auth;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import java.util.List;
import java.util.Optional;

/**
 * Turns a backend's auth into the headers of the upstream request. Only header-only schemes are
 * handled here; request signing (AWS SigV4) and token exchanges (GCP, Entra client secrets) come
 * with their provider translators.
 */
public final class CredentialInjector {

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

  /** Headers for {@code auth} (no auth → no headers). */
  public static Outcome headers(Optional<BackendAuth> auth, CredentialSource source) {
    if (auth.isEmpty()) {
      return new Outcome.Headers(List.of());
    }
    BackendAuth value = auth.get();
    if (value instanceof BackendAuth.ApiKey apiKey) {
      return single(source, apiKey.key(), "authorization", "Bearer ");
    }
    if (value instanceof BackendAuth.AzureApiKey key) {
      return single(source, key.key(), "api-key", "");
    }
    if (value instanceof BackendAuth.AnthropicApiKey key) {
      return single(source, key.key(), "x-api-key", "");
    }
    if (value instanceof BackendAuth.Azure azure && azure.accessToken() != null) {
      return single(source, azure.accessToken(), "authorization", "Bearer ");
    }
    if (value instanceof BackendAuth.Azure) {
      return new Outcome.Unavailable("Azure client-secret token exchange is not supported yet");
    }
    if (value instanceof BackendAuth.Aws) {
      return new Outcome.Unavailable("AWS SigV4 signing is not supported yet");
    }
    return new Outcome.Unavailable("GCP credentials are not supported yet");
  }

  private static Outcome single(
      CredentialSource source, CredentialFile file, String header, String prefix) {
    Optional<String> value = source.read(file).map(String::strip).filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
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
    return new Outcome.Headers(List.of(new AuthHeader(header, prefix + value.get())));
  }
}
