package io.aigw.extproc.auth;

import io.aigw.core.filterconfig.CredentialFile;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads credentials by their Secret reference from an in-memory store ({@code aigw run}). Every
 * read goes to the store, so a changed Secret is used by the next request.
 */
public final class SecretCredentialSource implements CredentialSource {

  private final SecretLookup secrets;

  public SecretCredentialSource(SecretLookup secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  @Override
  public Optional<String> read(CredentialFile credential) {
    CredentialFile.SecretKeyRef ref = credential.secret();
    return secrets.value(ref.namespace(), ref.name(), ref.key());
  }
}
