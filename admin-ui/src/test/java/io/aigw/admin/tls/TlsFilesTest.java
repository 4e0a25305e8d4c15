package io.aigw.admin.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {

  @TempDir static Path dir;
  private static Vertx vertx;
  private static SelfSignedPem one;
  private static SelfSignedPem two;
  private static SelfSignedPem rsa;

  @BeforeAll
  static void certificates() throws Exception {
    vertx = Vertx.vertx();
    one = SelfSignedPem.create(dir, "one");
    two = SelfSignedPem.create(dir, "two");
    rsa = SelfSignedPem.create(dir, "rsa", "RSA");
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static TlsFiles files(Path certificate, Path key) {
    return new TlsFiles(certificate, key, "--admin-tls-cert", "--admin-tls-key");
  }

  @Test
  void readsACertificateAndItsKey() throws Exception {
    TlsPair pair = files(one.certificate(), one.key()).read(vertx);

    assertThat(pair.subject()).isEqualTo("CN=one");
    assertThat(pair.toString())
        .contains("CN=one", "valid from", "until")
        .doesNotContain(one.keyBase64());
  }

  @Test
  void readsAnRsaKeyInPkcs1AsCertManagerWritesIt() throws Exception {
    Path pkcs1 = dir.resolve("rsa-pkcs1.key");
    Files.writeString(pkcs1, rsa.pkcs1Key());

    assertThat(files(rsa.certificate(), pkcs1).read(vertx).subject()).isEqualTo("CN=rsa");
  }

  @Test
  void refusesTheKeyOfAnotherCertificateOfTheSameAlgorithm() throws Exception {
    TlsFiles mixed = files(one.certificate(), two.key());

    assertThatThrownBy(() -> mixed.read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessage(
            "--admin-tls-key "
                + two.key()
                + ": not the private key of the certificate in "
                + one.certificate()
                + " (CN=one)");
  }

  @Test
  void refusesAKeyOfAnotherAlgorithm() {
    assertThatThrownBy(() -> files(one.certificate(), rsa.key()).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessageContaining("not the private key of the certificate in");
  }

  @Test
  void namesTheOptionAndTheFileOfAMissingFile() {
    Path missing = dir.resolve("missing.crt");

    assertThatThrownBy(() -> files(missing, one.key()).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessage("--admin-tls-cert " + missing + ": no such file");
    assertThatThrownBy(() -> files(one.certificate(), missing).read(vertx))
        .hasMessage("--admin-tls-key " + missing + ": no such file");
  }

  @Test
  void refusesFilesGivenTheWrongWayRound() {
    assertThatThrownBy(() -> files(one.key(), one.certificate()).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessage(
            "--admin-tls-cert " + one.key() + ": holds no PEM certificate (BEGIN CERTIFICATE)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(one.keyBase64().substring(0, 8)));
  }

  @Test
  void refusesAKeyFileThatHoldsNoKeyAndQuotesNothingOfIt() throws Exception {
    Path notKey = dir.resolve("not.key");
    Files.writeString(notKey, "sk-PLANTED-0123456789\n");

    assertThatThrownBy(() -> files(one.certificate(), notKey).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessage(
            "--admin-tls-key "
                + notKey
                + ": not a PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  @Test
  void readsACertificateFileThatHoldsItsKeyToo() throws Exception {
    // cat tls.crt tls.key > tls.pem, given to both options
    Path combined = dir.resolve("combined.pem");
    Files.writeString(combined, Files.readString(one.certificate()) + Files.readString(one.key()));

    assertThat(files(combined, combined).read(vertx).subject()).isEqualTo("CN=one");
  }

  @Test
  void refusesAChainWithADamagedBlockRatherThanSkipIt() throws Exception {
    Path damaged = dir.resolve("damaged.crt");
    String leaf = Files.readString(one.certificate());
    Files.writeString(
        damaged, leaf.replaceFirst("\n(.)", "\n!$1") + Files.readString(two.certificate()));

    assertThatThrownBy(() -> files(damaged, one.key()).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessage("--admin-tls-cert " + damaged + ": a certificate block is damaged");
  }

  @Test
  void refusesAKeyTypeTheAdminPortDoesNotServe() throws Exception {
    SelfSignedPem edwards = SelfSignedPem.create(dir, "edwards", "Ed25519");

    assertThatThrownBy(() -> files(edwards.certificate(), edwards.key()).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .hasMessage(
            "--admin-tls-cert "
                + edwards.certificate()
                + ": its key is EdDSA; the admin port serves RSA and EC keys");
  }

  @Test
  void refusesAKeyEncryptedTheTraditionalWay() throws Exception {
    Path encrypted = dir.resolve("encrypted-pkcs1.key");
    Files.writeString(
        encrypted,
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nMIIB\n"
            + "-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> files(rsa.certificate(), encrypted).read(vertx))
        .hasMessage("--admin-tls-key " + encrypted + ": encrypted; give the key unencrypted");
  }

  @Test
  void refusesAnEncryptedKey() throws Exception {
    Path encrypted = dir.resolve("encrypted.key");
    Files.writeString(
        encrypted,
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> files(one.certificate(), encrypted).read(vertx))
        .hasMessage("--admin-tls-key " + encrypted + ": encrypted; give the key unencrypted");
  }

  @Test
  void aBrokenKeyIsNotQuoted() throws Exception {
    Path broken = dir.resolve("broken.key");
    String body = one.keyBase64();
    // a key whose middle was lost: the PEM lines are there, the DER is not a key
    Files.writeString(
        broken,
        "-----BEGIN PRIVATE KEY-----\n"
            + body.substring(0, 20)
            + body.substring(40)
            + "\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> files(one.certificate(), broken).read(vertx))
        .isInstanceOf(TlsFilesException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).startsWith("--admin-tls-key " + broken + ": ");
              for (int i = 0; i + 8 <= body.length(); i += 8) {
                assertThat(e.getMessage()).doesNotContain(body.substring(i, i + 8));
              }
            });
  }
}
