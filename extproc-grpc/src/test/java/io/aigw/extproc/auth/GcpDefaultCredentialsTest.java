package io.aigw.extproc.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GCP's Application Default Credentials as an ExtProc on GKE with Workload Identity has them: the
 * metadata server's token of the pod's service account (a fake one on loopback), or the key file
 * GOOGLE_APPLICATION_CREDENTIALS names.
 */
class GcpDefaultCredentialsTest {

  HttpServer server;
  GcpDefaultCredentials credentials;
  final List<String> flavors = new CopyOnWriteArrayList<>();
  final AtomicInteger served = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  volatile int expiresIn = 3599;
  volatile boolean down;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/computeMetadata/v1/instance/service-accounts/default/token", this::token);
    server.start();
  }

  @AfterEach
  void stop() {
    if (credentials != null) {
      credentials.stop();
    }
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    flavors.add(String.valueOf(exchange.getRequestHeaders().getFirst("Metadata-Flavor")));
    if (down) {
      refused.incrementAndGet();
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
      return;
    }
    byte[] body =
        ("{\"access_token\":\"ya29.metadata-"
                + served.incrementAndGet()
                + "\",\"expires_in\":"
                + expiresIn
                + ",\"token_type\":\"Bearer\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private GcpDefaultCredentials onMetadataServer(Map<String, String> env) {
    credentials =
        new GcpDefaultCredentials(
            env,
            path -> Optional.empty(),
            System::nanoTime,
            Clock.systemUTC(),
            new RenewedCredential.Timing(Duration.ofMillis(100), Duration.ZERO));
    return credentials;
  }

  @Test
  void theMetadataServersTokenIsFetchedAheadOfRequestsAndRenewedBeforeItExpires() {
    GcpDefaultCredentials adc =
        onMetadataServer(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort()));
    adc.prefetched();
    await().atMost(Duration.ofSeconds(10)).until(() -> adc.token(Instant.now()).isPresent());
    assertThat(adc.token(Instant.now())).hasValue("ya29.metadata-1");
    assertThat(flavors).first().isEqualTo("Google");

    // a token about to expire is renewed at half its life, before requests see it lapse
    expiresIn = 1;
    credentials.stop();
    GcpDefaultCredentials shortLived =
        onMetadataServer(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort()));
    shortLived.prefetched();
    await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= 3);
  }

  @Test
  void aMetadataServerThatFailsGivesNoTokenAndIsAskedAgain() {
    down = true;
    GcpDefaultCredentials adc =
        onMetadataServer(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort()));
    assertThat(adc.token(Instant.now())).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() >= 2);
    assertThat(adc.token(Instant.now())).isEmpty();
    down = false;
    await().atMost(Duration.ofSeconds(10)).until(() -> adc.token(Instant.now()).isPresent());
  }

  @Test
  void aKeyFileIsUsedInPlaceOfTheMetadataServerAndOnlyAServiceAccountKey() {
    String key = GcpTestKeys.serviceAccountKey();
    credentials =
        new GcpDefaultCredentials(
            Map.of(
                "GOOGLE_APPLICATION_CREDENTIALS",
                "/var/run/key.json",
                "GCE_METADATA_HOST",
                "127.0.0.1:" + server.getAddress().getPort()),
            path -> path.equals(Path.of("/var/run/key.json")) ? Optional.of(key) : Optional.empty(),
            System::nanoTime,
            Clock.systemUTC());
    credentials.prefetched();
    String token = credentials.token(Instant.now()).orElseThrow();
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(credentials.usesMetadataServer()).as("the metadata server is never asked").isFalse();

    GcpDefaultCredentials user =
        new GcpDefaultCredentials(
            Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/home/me/adc.json"),
            path -> Optional.of("{\"type\":\"authorized_user\",\"refresh_token\":\"1//secret\"}"),
            System::nanoTime,
            Clock.systemUTC());
    assertThatThrownBy(() -> user.token(Instant.now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'authorized_user'")
        .hasMessageNotContaining("1//secret");
  }
}
