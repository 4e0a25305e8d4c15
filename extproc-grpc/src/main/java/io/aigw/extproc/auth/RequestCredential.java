package io.aigw.extproc.auth;

import java.util.Objects;
import java.util.Optional;

/** A credential value in hand: read from a configured source or brought by the request. */
public sealed interface RequestCredential {

  /** A key or token sent as a header ({@code Authorization: Bearer}, {@code api-key}, …). */
  record Token(String value) implements RequestCredential {
    public Token {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Token[<redacted>]";
    }
  }

  /** AWS keys for SigV4. */
  record AwsKeys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken)
      implements RequestCredential {
    public AwsKeys {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      Objects.requireNonNull(sessionToken, "sessionToken");
    }

    @Override
    public String toString() {
      return "AwsKeys[" + accessKeyId + ", <redacted>]";
    }
  }
}
