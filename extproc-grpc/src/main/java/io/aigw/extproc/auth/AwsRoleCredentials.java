package io.aigw.extproc.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS credentials of the pod's own identity, as the AWS SDKs' default chain gets them when the
 * environment holds no keys: a web identity token (IRSA: {@code AWS_ROLE_ARN} and {@code
 * AWS_WEB_IDENTITY_TOKEN_FILE}, exchanged at STS with {@code AssumeRoleWithWebIdentity}), else a
 * container credentials endpoint (EKS Pod Identity and ECS: {@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI} or {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, with the
 * token of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} or {@code
 * AWS_CONTAINER_AUTHORIZATION_TOKEN}). Requests run on the event loop, so the credentials are
 * fetched on a thread of their own, renewed five minutes before they expire (at half their life
 * when that is later) and retried after a failure from 1 s doubling to 1 min; requests take the
 * last ones fetched. The token files are read at every fetch: the kubelet rotates them. Failures
 * are logged with the status code only.
 */
final class AwsRoleCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(AwsRoleCredentials.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PRE_EXPIRY = Duration.ofMinutes(5);
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String ECS_HOST = "http://169.254.170.2";

  /** Credentials and when they expire. */
  record Fetched(RequestCredential.AwsKeys keys, Instant expiration) {}

  /** Where the credentials come from; builds one fetch's request from the files as they are. */
  private interface Source {
    HttpRequest request() throws IOException;

    Fetched parse(String body);

    /** The endpoint, for log lines. */
    String describe();
  }

  private final Source source;
  private final HttpClient http;
  private final Clock clock;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Fetched current;
  private volatile ScheduledExecutorService timer;

  private AwsRoleCredentials(Source source, HttpClient http, Clock clock) {
    this.source = source;
    this.http = http;
    this.clock = clock;
  }

  /** The identity {@code env} configures, if any: web identity first, as the AWS SDKs have it. */
  static Optional<AwsRoleCredentials> of(Map<String, String> env, HttpClient http, Clock clock) {
    return webIdentity(env)
        .or(() -> container(env))
        .map(source -> new AwsRoleCredentials(source, http, clock));
  }

  /** The last credentials fetched, while they have not expired. */
  Optional<RequestCredential.AwsKeys> current() {
    Fetched fetched = current;
    return fetched == null || !clock.instant().isBefore(fetched.expiration())
        ? Optional.empty()
        : Optional.of(fetched.keys());
  }

  /** Starts fetching, once; later calls do nothing. */
  void start() {
    if (started.compareAndSet(false, true)) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "aigw-aws-identity");
                thread.setDaemon(true);
                return thread;
              });
      fetch(MIN_RETRY);
    }
  }

  void stop() {
    ScheduledExecutorService running = timer;
    if (running != null) {
      running.shutdownNow();
    }
  }

  private void fetch(Duration retry) {
    CompletableFuture<Fetched> attempt;
    try {
      attempt =
          http.sendAsync(source.request(), HttpResponse.BodyHandlers.ofString())
              .thenApply(
                  response -> {
                    if (response.statusCode() != 200) {
                      throw new IllegalStateException(
                          source.describe() + " answered " + response.statusCode());
                    }
                    return source.parse(response.body());
                  });
    } catch (IOException | RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete(
        (fetched, error) -> {
          if (error == null) {
            current = fetched;
            LOG.atInfo()
                .addKeyValue("from", source.describe())
                .addKeyValue("accessKeyId", fetched.keys().accessKeyId())
                .addKeyValue("expiresAt", fetched.expiration())
                .log("AWS credentials of the pod's identity fetched");
            schedule(renewIn(clock.instant(), fetched.expiration()), MIN_RETRY);
          } else {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            LOG.atWarn()
                .addKeyValue("from", source.describe())
                .addKeyValue("retryIn", retry)
                .log("AWS credentials of the pod's identity not fetched: {}", reasonOf(cause));
            Duration doubled = retry.multipliedBy(2);
            schedule(retry, doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled);
          }
        });
  }

  private void schedule(Duration in, Duration nextRetry) {
    ScheduledExecutorService running = timer;
    if (running != null && !running.isShutdown()) {
      running.schedule(() -> fetch(nextRetry), in.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Five minutes before expiry, or at half the life when that is later. */
  static Duration renewIn(Instant now, Instant expiration) {
    Duration life = Duration.between(now, expiration);
    Duration window = life.minus(PRE_EXPIRY);
    Duration half = life.dividedBy(2);
    Duration in = window.compareTo(half) > 0 ? window : half;
    return in.isNegative() ? Duration.ZERO : in;
  }

  /** A failure's kind and, for this class's own failures, its message (never a body). */
  private static String reasonOf(Throwable error) {
    return error instanceof IllegalStateException ? error.getMessage() : error.toString();
  }

  // --- the sources ---

  private static Optional<Source> webIdentity(Map<String, String> env) {
    String role = env.get("AWS_ROLE_ARN");
    String tokenFile = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (blank(role) || blank(tokenFile)) {
      return Optional.empty();
    }
    String session =
        blank(env.get("AWS_ROLE_SESSION_NAME"))
            ? "aigw-extproc-" + System.currentTimeMillis()
            : env.get("AWS_ROLE_SESSION_NAME");
    URI sts = URI.create(stsEndpoint(env));
    return Optional.of(
        new Source() {
          @Override
          public HttpRequest request() throws IOException {
            String token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
            String form =
                "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
                    + encode(role)
                    + "&RoleSessionName="
                    + encode(session)
                    + "&WebIdentityToken="
                    + encode(token);
            return HttpRequest.newBuilder(sts)
                .timeout(TIMEOUT)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
          }

          @Override
          public Fetched parse(String body) {
            return new Fetched(
                new RequestCredential.AwsKeys(
                    tag(body, "AccessKeyId"),
                    tag(body, "SecretAccessKey"),
                    Optional.of(tag(body, "SessionToken"))),
                Instant.parse(tag(body, "Expiration")));
          }

          @Override
          public String describe() {
            return "STS " + sts;
          }
        });
  }

  /**
   * The STS endpoint: {@code AWS_ENDPOINT_URL_STS} or {@code AWS_ENDPOINT_URL} when set, else the
   * region's ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION}), else the global one.
   */
  static String stsEndpoint(Map<String, String> env) {
    for (String name : new String[] {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}) {
      if (!blank(env.get(name))) {
        return env.get(name);
      }
    }
    String region =
        !blank(env.get("AWS_REGION")) ? env.get("AWS_REGION") : env.get("AWS_DEFAULT_REGION");
    if (blank(region)) {
      return "https://sts.amazonaws.com/";
    }
    return "https://sts." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn/" : "/");
  }

  private static Optional<Source> container(Map<String, String> env) {
    String full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    String relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (blank(full) && blank(relative)) {
      return Optional.empty();
    }
    URI endpoint = URI.create(blank(full) ? ECS_HOST + relative : full);
    String tokenFile = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    String token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    return Optional.of(
        new Source() {
          @Override
          public HttpRequest request() throws IOException {
            HttpRequest.Builder request =
                HttpRequest.newBuilder(endpoint)
                    .timeout(TIMEOUT)
                    .header("accept", "application/json");
            String authorization =
                !blank(tokenFile)
                    ? Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip()
                    : token;
            if (!blank(authorization)) {
              request.header("authorization", authorization);
            }
            return request.GET().build();
          }

          @Override
          public Fetched parse(String body) {
            JsonNode json;
            try {
              json = JSON.readTree(body);
            } catch (IOException e) {
              // the parser's message quotes the body, which holds the secret key
              throw new IllegalStateException("the container credentials are not JSON");
            }
            return new Fetched(
                new RequestCredential.AwsKeys(
                    field(json, "AccessKeyId"),
                    field(json, "SecretAccessKey"),
                    Optional.ofNullable(json.path("Token").textValue()).filter(t -> !t.isBlank())),
                Instant.parse(field(json, "Expiration")));
          }

          @Override
          public String describe() {
            return "container credentials " + endpoint;
          }
        });
  }

  private static String field(JsonNode json, String name) {
    String value = json.path(name).textValue();
    if (blank(value)) {
      throw new IllegalStateException("the container credentials have no " + name);
    }
    return value;
  }

  private static String tag(String xml, String name) {
    Matcher matcher = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    if (!matcher.find() || matcher.group(1).isBlank()) {
      throw new IllegalStateException("STS answered without " + name);
    }
    return matcher.group(1).strip();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
