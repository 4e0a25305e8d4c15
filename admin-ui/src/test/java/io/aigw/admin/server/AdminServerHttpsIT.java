package io.aigw.admin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.admin.tls.SelfSignedPem;
import io.aigw.admin.tls.TlsFiles;
import io.aigw.admin.tls.TlsFilesException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The admin API and dashboard over HTTPS, as {@code --admin-tls-cert} and {@code -key} ask. */
@ExtendWith(VertxExtension.class)
class AdminServerHttpsIT {

  @TempDir static Path dir;
  private static SelfSignedPem pair;
  private AdminTestbed bed;
  private WebClient client;

  @BeforeAll
  static void certificate() throws Exception {
    pair = SelfSignedPem.create(dir, "admin");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    bed.close();
  }

  private static TlsFiles files(Path certificate, Path key) {
    return new TlsFiles(certificate, key, "--admin-tls-cert", "--admin-tls-key");
  }

  private HttpResponse<Buffer> get(WebClient on, String path) {
    return on.get(path)
        .bearerTokenAuthentication(AdminTestbed.READER)
        .send()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(20, TimeUnit.SECONDS)
        .join();
  }

  @Test
  void servesTheApiTheDashboardAndTheProbesOverHttpsOnly(Vertx vertx) {
    bed = new AdminTestbed(vertx);
    bed.upsert(AdminTestbed.backend("openai", "OpenAI"));
    bed.start(Optional.of(files(pair.certificate(), pair.key())));
    WebClientOptions options =
        new WebClientOptions().setDefaultHost("localhost").setDefaultPort(bed.port());
    client =
        WebClient.create(
            vertx, new WebClientOptions(options).setSsl(true).setTrustOptions(pair.trust()));

    assertThat(get(client, "/api/whoami").bodyAsJsonObject().getString("role"))
        .isEqualTo("read-only");
    assertThat(get(client, "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(client, "/").bodyAsString()).contains("<html");

    WebClient plain = WebClient.create(vertx, options);
    try {
      // a token sent in clear never reaches the API: the port speaks TLS only
      assertThatThrownBy(() -> get(plain, "/api/whoami")).isInstanceOf(CompletionException.class);
    } finally {
      plain.close();
    }
  }

  @Test
  void aBrowserSpeakingHttp2KeepsManyLiveStreamsOnOneConnection(Vertx vertx) throws Exception {
    bed = new AdminTestbed(vertx);
    bed.upsert(AdminTestbed.backend("openai", "OpenAI"));
    bed.start(Optional.of(files(pair.certificate(), pair.key())));
    HttpClient h2 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(pair.trust())
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setDefaultHost("localhost")
                .setDefaultPort(bed.port()));
    try {
      // more streams than a browser's six HTTP/1.1 connections, and the API still answers
      List<HttpClientResponse> streams = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        streams.add(
            h2.request(HttpMethod.GET, "/api/stream?from=0")
                .compose(
                    request ->
                        request.putHeader("Authorization", "Bearer " + AdminTestbed.READER).send())
                // read as a browser reads a live stream: unread, its data would fill the
                // connection's flow-control window and hold every other answer back
                .onSuccess(response -> response.handler(data -> {}))
                .await(20, TimeUnit.SECONDS));
      }
      assertThat(streams)
          .allSatisfy(
              response -> {
                assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(response.statusCode()).isEqualTo(200);
              });
      // the body asked for on the event loop with the response: asked later from this thread, it
      // may have gone by
      Buffer whoami =
          h2.request(HttpMethod.GET, "/api/whoami")
              .compose(
                  request ->
                      request.putHeader("Authorization", "Bearer " + AdminTestbed.READER).send())
              .compose(HttpClientResponse::body)
              .await(20, TimeUnit.SECONDS);
      assertThat(whoami.toJsonObject().getString("role")).isEqualTo("read-only");
      assertThat(streams)
          .as("every stream on the one connection")
          .extracting(response -> response.request().connection())
          .containsOnly(streams.get(0).request().connection());
    } finally {
      h2.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesFailsTheStartNamingTheFlag(Vertx vertx) throws Exception {
    SelfSignedPem other = SelfSignedPem.create(dir, "other");
    bed = new AdminTestbed(vertx);

    assertThatThrownBy(() -> bed.start(Optional.of(files(pair.certificate(), other.key()))))
        .hasRootCauseInstanceOf(TlsFilesException.class)
        .rootCause()
        .hasMessageStartingWith("--admin-tls-key " + other.key() + ": not the private key");
  }
}
