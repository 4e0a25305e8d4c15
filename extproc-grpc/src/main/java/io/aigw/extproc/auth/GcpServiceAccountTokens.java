package io.aigw.extproc.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens from a GCP service-account key without a token exchange: a self-signed JWT (RS256,
 * scope {@code https://www.googleapis.com/auth/cloud-platform}, one hour), which Google APIs such
 * as Vertex AI accept in place of an OAuth access token. A token is reused, per key, until five
 * minutes before it expires, and remade when the key file changes.
 */
final class GcpServiceAccountTokens {

  static final GcpServiceAccountTokens SHARED = new GcpServiceAccountTokens();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LIFETIME_SECONDS = 3600;
  private static final long RENEW_BEFORE_SECONDS = 300;

  /** Keys whose tokens are kept at most; a rotated key leaves its old entry behind. */
  private static final int MAX_KEYS = 64;

  private record Cached(String token, long expiresAt) {}

  // per key: backends with keys of their own must not evict each other's token, since making
  // one is an RSA signature on the event loop
  private final Map<String, Cached> cached = new ConcurrentHashMap<>();

  /**
   * A token for the key JSON {@code keyJson}.
   *
   * @throws IllegalArgumentException when the key is not a usable service-account key
   */
  String token(String keyJson, Instant now) {
    long nowSeconds = now.getEpochSecond();
    Cached seen = cached.get(keyJson);
    if (seen != null && nowSeconds < seen.expiresAt() - RENEW_BEFORE_SECONDS) {
      return seen.token();
    }
    String token = sign(keyJson, nowSeconds);
    if (cached.size() >= MAX_KEYS) {
      cached.clear();
    }
    cached.put(keyJson, new Cached(token, nowSeconds + LIFETIME_SECONDS));
    return token;
  }

  static String sign(String keyJson, long nowSeconds) {
    JsonNode key;
    try {
      key = JSON.readTree(keyJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    String email = key.path("client_email").asText("");
    String pem = key.path("private_key").asText("");
    if (email.isEmpty() || pem.isEmpty()) {
      throw new IllegalArgumentException("client_email or private_key missing");
    }
    ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (key.hasNonNull("private_key_id")) {
      header.put("kid", key.get("private_key_id").asText());
    }
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", email)
            .put("sub", email)
            .put("scope", "https://www.googleapis.com/auth/cloud-platform")
            .put("iat", nowSeconds)
            .put("exp", nowSeconds + LIFETIME_SECONDS);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(privateKey(pem));
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with the private key", e);
    }
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String base64 =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}
