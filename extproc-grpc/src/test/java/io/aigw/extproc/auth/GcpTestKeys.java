package io.aigw.extproc.auth;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Service-account key files as GCP's console downloads them, with a fresh RSA key each. */
final class GcpTestKeys {

  private GcpTestKeys() {}

  static String serviceAccountKey() {
    return serviceAccountKey("extproc@p.iam.gserviceaccount.com");
  }

  static String serviceAccountKey(String email) {
    KeyPairGenerator generator;
    try {
      generator = KeyPairGenerator.getInstance("RSA");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    generator.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return "{\"type\":\"service_account\",\"client_email\":\""
        + email
        + "\",\"private_key\":\""
        + pem.replace("\n", "\\n")
        + "\"}";
  }
}
