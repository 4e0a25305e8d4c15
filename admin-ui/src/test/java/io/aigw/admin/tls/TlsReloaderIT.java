package io.aigw.admin.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is served without a restart, and a broken renewal is not. */
class TlsReloaderIT {

  @TempDir static Path certificates;
  private static SelfSignedPem one;
  private static SelfSignedPem two;
  private static SelfSignedPem three;

  @TempDir Path mounted;
  private Vertx vertx;
  private HttpServer server;
  private TlsReloader reloader;
  private HttpClient client;
  private Path crt;
  private Path key;

  @BeforeAll
  static void create() throws Exception {
    one = SelfSignedPem.create(certificates, "one");
    two = SelfSignedPem.create(certificates, "two");
    three = SelfSignedPem.create(certificates, "three", "RSA");
  }

  @BeforeEach
  void serve() throws Exception {
    vertx = Vertx.vertx();
    crt = mounted.resolve("tls.crt");
    key = mounted.resolve("tls.key");
    one.copyTo(crt, key);
    TlsFiles files = new TlsFiles(crt, key, "--admin-tls-cert", "--admin-tls-key");
    reloader = TlsReloader.load(vertx, files, Duration.ofMillis(50)).await(10, TimeUnit.SECONDS);
    server =
        vertx
            .createHttpServer(reloader.serve(new HttpServerOptions().setHost("127.0.0.1")))
            .requestHandler(request -> request.response().end("ok"))
            .listen(0)
            .await(10, TimeUnit.SECONDS);
    reloader.follow(server);
    PemTrustOptions trust = new PemTrustOptions();
    for (SelfSignedPem pair : new SelfSignedPem[] {one, two, three}) {
      trust.addCertPath(pair.certificate().toString());
    }
    // a connection per request: each shows the certificate served at its handshake
    client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(trust)
                .setKeepAlive(false));
  }

  @AfterEach
  void close() throws Exception {
    reloader.close();
    client.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The subject of the certificate a new connection is served, after a request answered "ok". */
  private String servedSubject() throws Exception {
    return client
        .request(HttpMethod.GET, server.actualPort(), "localhost", "/")
        .compose(
            request ->
                request
                    .send()
                    .compose(response -> response.body())
                    .map(
                        body -> {
                          assertThat(body.toString()).isEqualTo("ok");
                          try {
                            return ((X509Certificate)
                                    request.connection().peerCertificates().get(0))
                                .getSubjectX500Principal()
                                .getName();
                          } catch (Exception e) {
                            throw new IllegalStateException(e);
                          }
                        }))
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void servesARenewedCertificateWithoutARestart() throws Exception {
    assertThat(servedSubject()).isEqualTo("CN=one");

    two.copyTo(crt, key);

    await().atMost(Duration.ofSeconds(10)).until(() -> servedSubject().equals("CN=two"));
    assertThat(reloader.served().subject()).isEqualTo("CN=two");
  }

  @Test
  void keepsServingTheLastGoodPairWhileTheFilesDoNotMatch() throws Exception {
    // the certificate renewed, the key not yet: an operator copying one file after the other
    Files.write(crt, Files.readAllBytes(two.certificate()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reloader.refusal().orElse("").contains("not the private key"));
    assertThat(reloader.refusal().orElseThrow())
        .isEqualTo(
            "--admin-tls-key "
                + key
                + ": not the private key of the certificate in "
                + crt
                + " (CN=two)");
    assertThat(servedSubject()).isEqualTo("CN=one");

    Files.write(key, Files.readAllBytes(two.key()));

    await().atMost(Duration.ofSeconds(10)).until(() -> servedSubject().equals("CN=two"));
    assertThat(reloader.refusal()).isEmpty();
  }

  @Test
  void anExpiredRenewalDoesNotTakeThePlaceOfAPairThatWorks(@TempDir Path made) throws Exception {
    SelfSignedPem expired = SelfSignedPem.expired(made, "expired");

    expired.copyTo(crt, key);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reloader.refusal().orElse("").contains("is not valid now"));
    assertThat(servedSubject()).isEqualTo("CN=one");
  }

  @Test
  void takesAKeyOfAnotherAlgorithm() throws Exception {
    three.copyTo(crt, key);

    await().atMost(Duration.ofSeconds(10)).until(() -> servedSubject().equals("CN=three"));
  }
}
