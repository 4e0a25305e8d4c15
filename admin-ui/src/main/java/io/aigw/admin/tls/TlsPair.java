package io.aigw.admin.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;

/**
 * A certificate chain and its private key, as read from their PEM files and checked to belong
 * together. Equal pairs hold the same bytes. {@link #toString} names the certificate only.
 */
public final class TlsPair {

  private final byte[] chainFile;
  private final byte[] keyPem;
  private final byte[] chainPem;
  private final X509Certificate leaf;

  /**
   * @param chainFile the certificate file as read, to tell when it changes
   * @param chainPem its certificate blocks, which are served
   */
  TlsPair(byte[] chainFile, byte[] keyPem, byte[] chainPem, X509Certificate leaf) {
    this.chainFile = chainFile.clone();
    this.keyPem = keyPem.clone();
    this.chainPem = chainPem.clone();
    this.leaf = leaf;
  }

  /** What Vert.x serves the pair from. */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(chainPem))
        .setKeyValue(Buffer.buffer(keyPem));
  }

  /** Whether {@code chain} and {@code key} are the bytes of this pair (files unchanged). */
  boolean holds(byte[] chain, byte[] key) {
    return Arrays.equals(chainFile, chain) && Arrays.equals(keyPem, key);
  }

  byte[] chainFile() {
    return chainFile;
  }

  byte[] keyPem() {
    return keyPem;
  }

  X509Certificate leaf() {
    return leaf;
  }

  /** The first certificate's subject, as RFC 2253 writes it. */
  public String subject() {
    return leaf.getSubjectX500Principal().getName();
  }

  /** When the first certificate expires. */
  public Instant notAfter() {
    return leaf.getNotAfter().toInstant();
  }

  /** Whether the first certificate is valid at {@code instant}: not expired, not yet to come. */
  public boolean validAt(Instant instant) {
    return !instant.isBefore(leaf.getNotBefore().toInstant()) && !instant.isAfter(notAfter());
  }

  @Override
  public String toString() {
    return "TlsPair["
        + subject()
        + ", valid from "
        + leaf.getNotBefore().toInstant()
        + " until "
        + notAfter()
        + "]";
  }
}
