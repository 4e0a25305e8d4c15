package io.aigw.deploy.rotate;

import java.time.Instant;
import java.util.Map;

/**
 * What a rotation produced: the Secret data the ExtProc reads and when it stops being valid.
 *
 * @param data Secret keys to values ({@code credentials}, {@code azureAccessToken} or {@code
 *     gcpAccessToken})
 * @param expiresAt the credential's expiry
 */
public record RotatedCredential(Map<String, String> data, Instant expiresAt) {

  public RotatedCredential {
    data = Map.copyOf(data);
  }

  @Override
  public String toString() {
    return "RotatedCredential[keys=" + data.keySet() + ", expiresAt=" + expiresAt + "]";
  }
}
