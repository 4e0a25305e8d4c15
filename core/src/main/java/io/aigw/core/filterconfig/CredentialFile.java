package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One credential, named twice: as the file the controller mounts into the ExtProc pod ({@code
 * /etc/backend_security_policy/<volume>/<key>}, read in a cluster) and as the Secret key the file
 * comes from (read by {@code aigw run}, which holds Secret values in memory). The controller never
 * reads the value itself.
 *
 * @param path absolute path of the mounted file
 * @param secret the Secret and key the file holds
 */
@JsonPropertyOrder(alphabetic = true)
public record CredentialFile(String path, SecretKeyRef secret) {

  public CredentialFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(secret, "secret");
  }

  /** A key of a Secret. */
  @JsonPropertyOrder(alphabetic = true)
  public record SecretKeyRef(String namespace, String name, String key) {
    public SecretKeyRef {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
    }
  }
}
