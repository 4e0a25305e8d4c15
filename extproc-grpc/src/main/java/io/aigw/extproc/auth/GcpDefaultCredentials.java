package io.aigw.extproc.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * GCP's Application Default Credentials, which a policy with neither a credentials file nor
 * workload identity federation means, as upstream reads them: the service-account key {@code
 * GOOGLE_APPLICATION_CREDENTIALS} names (signed into a token as a policy's key file is), else the
 * access token of the pod's own service account from the metadata server (GKE Workload Identity, a
 * GCE VM; {@code GCE_METADATA_HOST} names another server), which {@link RenewedCredential} keeps
 * fresh.
 */
public final class GcpDefaultCredentials {

  static final GcpDefaultCredentials SHARED =
      new GcpDefaultCredentials(
          System.getenv(), RecheckedFile::read, System::nanoTime, Clock.systemUTC());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_METADATA_HOST = "metadata.google.internal";

  private final Map<String, String> env;
  private final RecheckedFile keyFile;
  private final Clock clock;
  private final RenewedCredential.Timing timing;
  // made when first needed: with a key file the metadata server is never asked
  private volatile RenewedCredential<String> metadata;

  GcpDefaultCredentials(
      Map<String, String> env,
      Function<Path, Optional<String>> files,
      LongSupplier nanoClock,
      Clock clock) {
    this(env, files, nanoClock, clock, RenewedCredential.Timing.DEFAULT);
  }

  GcpDefaultCredentials(
      Map<String, String> env,
      Function<Path, Optional<String>> files,
      LongSupplier nanoClock,
      Clock clock,
      RenewedCredential.Timing timing) {
    this.env = Map.copyOf(env);
    this.keyFile = new RecheckedFile(files, nanoClock);
    this.clock = clock;
    this.timing = timing;
  }

  private RenewedCredential<String> metadata() {
    RenewedCredential<String> made = metadata;
    if (made == null) {
      synchronized (this) {
        if (metadata == null) {
          metadata = new RenewedCredential<>(metadataSource(env, clock), "gcp", clock, timing);
        }
        made = metadata;
      }
    }
    return made;
  }

  /**
   * Starts fetching the metadata server's token, so that it is there by the first request: the
   * ExtProc calls it when a config names a policy that uses these credentials.
   */
  public static void prefetch() {
    SHARED.prefetched();
  }

  void prefetched() {
    if (keyFilePath().isEmpty()) {
      metadata().start();
    }
  }

  /**
   * A bearer token, when there is one yet.
   *
   * @throws IllegalArgumentException when {@code GOOGLE_APPLICATION_CREDENTIALS} names a file that
   *     holds no service-account key
   */
  Optional<String> token(Instant now) {
    Optional<Path> path = keyFilePath();
    if (path.isEmpty()) {
      RenewedCredential<String> fetched = metadata();
      fetched.start();
      return fetched.current();
    }
    Optional<String> key = keyFile.text(path.get());
    if (key.isEmpty()) {
      return Optional.empty();
    }
    String type = type(key.get());
    if (!"service_account".equals(type)) {
      throw new IllegalArgumentException(
          "GOOGLE_APPLICATION_CREDENTIALS holds a credential of type '"
              + type
              + "', where the ExtProc takes a service-account key; leave it unset for the"
              + " metadata server's token");
    }
    return Optional.of(GcpServiceAccountTokens.SHARED.token(key.get(), now));
  }

  /** Whether the metadata server's token has been asked for, ever. */
  boolean usesMetadataServer() {
    return metadata != null;
  }

  void stop() {
    RenewedCredential<String> made = metadata;
    if (made != null) {
      made.stop();
    }
  }

  private Optional<Path> keyFilePath() {
    String file = env.get("GOOGLE_APPLICATION_CREDENTIALS");
    return file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
  }

  private static String type(String keyJson) {
    try {
      return JSON.readTree(keyJson).path("type").asText("");
    } catch (IOException e) {
      // the parser's message would quote the key
      throw new IllegalArgumentException("GOOGLE_APPLICATION_CREDENTIALS is not a JSON key file");
    }
  }

  private static RenewedCredential.Source<String> metadataSource(
      Map<String, String> env, Clock clock) {
    String host =
        env.getOrDefault("GCE_METADATA_HOST", "").isBlank()
            ? DEFAULT_METADATA_HOST
            : env.get("GCE_METADATA_HOST").strip();
    String endpoint =
        "http://" + host + "/computeMetadata/v1/instance/service-accounts/default/token";
    return new RenewedCredential.Source<>() {
      @Override
      public HttpRequest request() {
        URI uri;
        try {
          uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("GCE_METADATA_HOST is not a host: " + host);
        }
        return HttpRequest.newBuilder(uri)
            .timeout(RenewedCredential.TIMEOUT)
            .header("Metadata-Flavor", "Google")
            .GET()
            .build();
      }

      @Override
      public RenewedCredential.Fetched<String> parse(String body) {
        JsonNode json;
        try {
          json = JSON.readTree(body);
        } catch (IOException e) {
          // the parser's message would quote the token
          throw new IllegalStateException("the metadata server's token answer is not JSON");
        }
        String token = json.path("access_token").asText("");
        long expiresIn = json.path("expires_in").asLong(0);
        if (token.isBlank() || expiresIn <= 0) {
          throw new IllegalStateException(
              "the metadata server's answer has no access_token or expires_in");
        }
        return new RenewedCredential.Fetched<>(token, clock.instant().plusSeconds(expiresIn));
      }

      @Override
      public String describe() {
        return "metadata server " + host;
      }
    };
  }
}
