package io.aigw.admin.tls;

import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.X509KeyManager;

/**
 * The PEM files an admin port serves HTTPS with: a certificate chain (leaf first) and its private
 * key, as a {@code kubernetes.io/tls} Secret mounts them ({@code tls.crt}, {@code tls.key}) and
 * cert-manager renews them. {@code certificateFlag} and {@code keyFlag} name the options that gave
 * them, so that every problem says which one to fix.
 */
public record TlsFiles(Path certificate, Path key, String certificateFlag, String keyFlag) {

  private static final Pattern TRADITIONALLY_ENCRYPTED =
      Pattern.compile("(?m)^Proc-Type:\\s*4,ENCRYPTED");

  private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

  private static final Pattern CERTIFICATE_BLOCK =
      Pattern.compile(BEGIN_CERTIFICATE + "[A-Za-z0-9+/=\\s]*-----END CERTIFICATE-----");

  /** Larger than any certificate chain or key; a larger file is not one. */
  static final long MAX_BYTES = 1 << 20;

  public TlsFiles {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificateFlag, "certificateFlag");
    Objects.requireNonNull(keyFlag, "keyFlag");
  }

  /**
   * Reads both files and checks that they are a certificate chain and the private key of its first
   * certificate. Blocking. A problem names the option and the file, never a byte of the key.
   */
  public TlsPair read(Vertx vertx) throws TlsFilesException {
    byte[] chainFile = bytes(certificate, certificateFlag);
    byte[] keyPem = bytes(key, keyFlag);
    // the certificates only: a file that holds the key too (cat tls.crt tls.key) is common
    byte[] chainPem = certificateBlocks(chainFile);
    X509Certificate leaf = chain(chainPem).get(0);
    String keyType = leaf.getPublicKey().getAlgorithm();
    if (!keyType.equals("RSA") && !keyType.equals("EC")) {
      throw new TlsFilesException(
          certificateFlag
              + " "
              + certificate
              + ": its key is "
              + keyType
              + "; the admin port serves RSA and EC keys");
    }
    TlsPair pair = new TlsPair(chainFile, keyPem, chainPem, leaf);
    matching(privateKey(vertx, pair), leaf);
    return pair;
  }

  private byte[] certificateBlocks(byte[] file) throws TlsFilesException {
    String text = new String(file, StandardCharsets.ISO_8859_1);
    Matcher blocks = CERTIFICATE_BLOCK.matcher(text);
    StringBuilder pem = new StringBuilder();
    int found = 0;
    while (blocks.find()) {
      pem.append(blocks.group()).append('\n');
      found++;
    }
    // a block with a stray character would be skipped, and the next taken for the leaf
    if (found != text.split(BEGIN_CERTIFICATE, -1).length - 1) {
      throw new TlsFilesException(
          certificateFlag + " " + certificate + ": a certificate block is damaged");
    }
    if (pem.isEmpty()) {
      throw new TlsFilesException(
          certificateFlag + " " + certificate + ": holds no PEM certificate (BEGIN CERTIFICATE)");
    }
    return pem.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The key as Vert.x reads it for the server: PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM. */
  private PrivateKey privateKey(Vertx vertx, TlsPair pair) throws TlsFilesException {
    String text = new String(pair.keyPem(), StandardCharsets.US_ASCII);
    // PKCS#8's encrypted form, and the traditional one's header
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || TRADITIONALLY_ENCRYPTED.matcher(text).find()) {
      throw new TlsFilesException(keyFlag + " " + key + ": encrypted; give the key unencrypted");
    }
    if (!text.contains("PRIVATE KEY-----")) {
      throw new TlsFilesException(
          keyFlag
              + " "
              + key
              + ": not a PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }
    X509KeyManager keys;
    try {
      keys = (X509KeyManager) pair.keyCertOptions().getKeyManagerFactory(vertx).getKeyManagers()[0];
    } catch (Exception e) {
      // its message may quote the file, which is the key: not a word of it
      throw notItsKey(pair.leaf());
    }
    String[] aliases = keys.getServerAliases(pair.leaf().getPublicKey().getAlgorithm(), null);
    if (aliases == null || aliases.length == 0) {
      throw notItsKey(pair.leaf());
    }
    return keys.getPrivateKey(aliases[0]);
  }

  private byte[] bytes(Path file, String flag) throws TlsFilesException {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new TlsFilesException(flag + " " + file + ": larger than 1 MiB, not a PEM file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsFilesException(flag + " " + file + ": no such file");
    } catch (IOException e) {
      throw new TlsFilesException(flag + " " + file + ": cannot be read: " + e.getMessage());
    }
  }

  private List<X509Certificate> chain(byte[] pem) throws TlsFilesException {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var read : factory.generateCertificates(new ByteArrayInputStream(pem))) {
        chain.add((X509Certificate) read);
      }
    } catch (CertificateException e) {
      throw new TlsFilesException(
          certificateFlag + " " + certificate + ": not a PEM certificate chain");
    }
    if (chain.isEmpty()) {
      throw new TlsFilesException(certificateFlag + " " + certificate + ": holds no certificate");
    }
    return chain;
  }

  /** A key of another certificate would make every handshake fail while the port looks up. */
  private void matching(PrivateKey privateKey, X509Certificate leaf) throws TlsFilesException {
    String algorithm = signatureAlgorithm(privateKey.getAlgorithm());
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another algorithm than the certificate's, at worst: not its key either
    }
    throw notItsKey(leaf);
  }

  private TlsFilesException notItsKey(X509Certificate leaf) {
    return new TlsFilesException(
        keyFlag
            + " "
            + key
            + ": not the private key of the certificate in "
            + certificate
            + " ("
            + leaf.getSubjectX500Principal().getName()
            + ")");
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
  }
}
