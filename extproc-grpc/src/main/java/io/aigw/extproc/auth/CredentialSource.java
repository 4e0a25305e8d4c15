package io.aigw.extproc.auth;

import io.aigw.core.filterconfig.CredentialFile;
import java.util.Optional;

/**
 * Where the ExtProc reads backend credentials from. A {@link CredentialFile} names a credential
 * twice, as a mounted file and as a Secret key; each run mode reads the one it has: the cluster
 * reads files ({@link FileCredentialSource}), {@code aigw run} looks Secrets up in memory ({@link
 * SecretCredentialSource}). Implementations are thread-safe, fast enough to call per request, and
 * never log a value.
 */
@FunctionalInterface
public interface CredentialSource {

  /** The credential's current value, or empty when it is not available. */
  Optional<String> read(CredentialFile credential);

  /** No credentials at all (backends without auth still work). */
  static CredentialSource none() {
    return credential -> Optional.empty();
  }

  /** This source, and {@code fallback} where this one has nothing. */
  default CredentialSource orElse(CredentialSource fallback) {
    return credential -> {
      Optional<String> value = read(credential);
      return value.isPresent() ? value : fallback.read(credential);
    };
  }
}
