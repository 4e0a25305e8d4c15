package io.aigw.admin.tls;

import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} and its private key, as PEM
 * files: what a {@code kubernetes.io/tls} Secret mounts. Made by the JDK's {@code keytool}, so the
 * tests need nothing the JDK does not have.
 */
public record SelfSignedPem(Path certificate, Path key, String keyAlgorithm) {

  private static final char[] PASSWORD = "changeit".toCharArray();

  /** An EC P-256 pair for {@code CN=<name>}, in {@code <dir>/<name>.crt} and {@code .key}. */
  public static SelfSignedPem create(Path dir, String name) throws Exception {
    return create(dir, name, "EC");
  }

  /**
   * A pair whose key is {@code EC} (P-256), {@code RSA} (2048 bits) or {@code Ed25519}, written as
   * PKCS#8.
   */
  public static SelfSignedPem create(Path dir, String name, String keyAlgorithm) throws Exception {
    return create(dir, name, keyAlgorithm, List.of("-validity", "3650"));
  }

  /** An EC pair whose certificate expired in 2001. */
  public static SelfSignedPem expired(Path dir, String name) throws Exception {
    return create(
        dir, name, "EC", List.of("-startdate", "2000/01/01 00:00:00", "-validity", "365"));
  }

  private static SelfSignedPem create(
      Path dir, String name, String keyAlgorithm, List<String> validity) throws Exception {
    Path store = dir.resolve(name + ".p12");
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                keyAlgorithm,
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD)));
    switch (keyAlgorithm) {
      case "EC" -> args.addAll(List.of("-groupname", "secp256r1"));
      case "RSA" -> args.addAll(List.of("-keysize", "2048"));
      default -> {
        // Ed25519: one size
      }
    }
    args.addAll(validity);
    keytool(args.toArray(String[]::new));
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD);
    }
    PrivateKey privateKey = (PrivateKey) keyStore.getKey(name, PASSWORD);
    X509Certificate certificate = (X509Certificate) keyStore.getCertificate(name);
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    Files.writeString(crt, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
    return new SelfSignedPem(crt, key, keyAlgorithm);
  }

  /** Copies this pair's files over {@code certificateFile} and {@code keyFile}. */
  public void copyTo(Path certificateFile, Path keyFile) throws IOException {
    Files.write(certificateFile, Files.readAllBytes(certificate));
    Files.write(keyFile, Files.readAllBytes(key));
  }

  /** What a client trusts this certificate with. */
  public PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(certificate.toString());
  }

  /** A JDK client's TLS context that trusts this certificate only. */
  public SSLContext clientContext() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry(
          "trusted", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** The key's base64 text, without the PEM lines: what must never be shown. */
  public String keyBase64() throws IOException {
    return Files.readAllLines(key).stream()
        .filter(line -> !line.startsWith("-----"))
        .reduce("", String::concat);
  }

  /**
   * The RSA key as {@code RSA PRIVATE KEY} (PKCS#1), the encoding cert-manager writes by default:
   * the PKCS#8 wrapper's last field.
   */
  public String pkcs1Key() throws IOException {
    byte[] pkcs8 = Base64.getDecoder().decode(keyBase64());
    // SEQUENCE { INTEGER version, SEQUENCE algorithm, OCTET STRING key }
    int version = header(pkcs8, 0)[0];
    int[] versionTlv = header(pkcs8, version);
    int algorithm = version + versionTlv[0] + versionTlv[1];
    int[] algorithmTlv = header(pkcs8, algorithm);
    int octets = algorithm + algorithmTlv[0] + algorithmTlv[1];
    int[] octetsTlv = header(pkcs8, octets);
    byte[] pkcs1 =
        Arrays.copyOfRange(pkcs8, octets + octetsTlv[0], octets + octetsTlv[0] + octetsTlv[1]);
    return pem("RSA PRIVATE KEY", pkcs1);
  }

  /** The header length and content length of the DER element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {2, first};
    }
    int bytes = first & 0x7f;
    int length = 0;
    for (int i = 0; i < bytes; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return new int[] {2 + bytes, length};
  }

  private static String pem(String type, byte[] der) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }
}
