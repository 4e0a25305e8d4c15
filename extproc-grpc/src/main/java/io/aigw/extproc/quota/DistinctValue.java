package io.aigw.extproc.quota;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A {@code Distinct} header's value as part of a counter's name: as it is up to {@link #MAX_CHARS}
 * characters, else its SHA-256, so a client sending long values cannot make the ledger's names
 * large.
 */
final class DistinctValue {

  static final int MAX_CHARS = 128;

  private DistinctValue() {}

  static String of(String value) {
    if (value.length() <= MAX_CHARS) {
      return value;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
