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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS credentials of the pod's own identity, as two links of the AWS SDKs' default chain get them:
 * a web identity token (IRSA: {@code AWS_ROLE_ARN} and {@code AWS_WEB_IDENTITY_TOKEN_FILE},
 * exchanged at STS with {@code AssumeRoleWithWebIdentity}), or a container credentials endpoint
 * (EKS Pod Identity and ECS: {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} or {@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI}, with the token of {@code
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} or {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; the token
 * goes only to HTTPS or to the agents' own addresses, as the SDKs allow).
 *
 * <p>Requests run on the event loop, so the credentials are fetched on a thread of their own,
 * renewed five minutes before they expire (at half their life when that is later, never sooner than
 * 30 s after the last fetch) and retried after a failure from 1 s doubling to 1 min; requests take
 * the last ones fetched. The token files are read at every fetch: the kubelet rotates them.
 * Failures are logged with the status code and STS's error code, never a token, a key or a body.
 */
final class AwsRoleCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(AwsRoleCredentials.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PRE_EXPIRY = Duration.ofMinutes(5);
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String ECS_HOST = "http://169.254.170.2";
  private static final List<String> AGENT_HOSTS =
      List.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]");
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([A-Za-z.]{1,64})</Code>");

  /**
   * How soon after a fetch the next one may come, and how long fetched credentials must live at
   * least (shorter lives count as a failed fetch): 30 s and a minute, shorter in tests.
   */
  record Timing(Duration minRenew, Duration minLife) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofMinutes(1));
  }

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
  private final Timing timing;
  private volatile Fetched current;
  // guarded by this
  private ScheduledExecutorService timer;
  private volatile boolean started;

  /** Only when a source is configured: an HTTP client has a thread of its own. */
  private AwsRoleCredentials(Source source, Clock clock, Timing timing) {
    this.source = source;
    this.http = HttpClient.newHttpClient();
    this.clock = clock;
    this.timing = timing;
  }

  /** IRSA's web identity, when {@code env} configures one. */
  static Optional<AwsRoleCredentials> webIdentity(
      Map<String, String> env, Clock clock, Timing timing) {
    return webIdentitySource(env).map(source -> new AwsRoleCredentials(source, clock, timing));
  }

  /** A container credentials endpoint (EKS Pod Identity, ECS), when {@code env} names one. */
  static Optional<AwsRoleCredentials> container(
      Map<String, String> env, Clock clock, Timing timing) {
    return containerSource(env).map(source -> new AwsRoleCredentials(source, clock, timing));
  }

  /** The last credentials fetched, while they have not expired. */
  Optional<RequestCredential.AwsKeys> current() {
    Fetched fetched = current;
    return fetched == null || !clock.instant().isBefore(fetched.expiration())
        ? Optional.empty()
        : Optional.of(fetched.keys());
  }

  /**
   * Starts fetching, once; later calls do nothing. Requests call it on the event loop, so after the
   * first it costs one volatile read.
   */
  void start() {
    if (!started) {
      startOnce();
    }
  }

  private synchronized void startOnce() {
    if (timer == null) {
      started = true;
      timer =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "aigw-aws-identity");
                thread.setDaemon(true);
                return thread;
              });
      timer.execute(() -> fetch(MIN_RETRY));
    }
  }

  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** One fetch; whatever it ends in, the next one is scheduled. */
  private void fetch(Duration retry) {
    CompletableFuture<Fetched> attempt;
    try {
      attempt =
          http.sendAsync(source.request(), HttpResponse.BodyHandlers.ofString())
              .thenApply(this::fetched)
              // the request's timeout covers the headers only: a body that stalls must end too
              .orTimeout(TIMEOUT.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete(
        (fetched, error) -> {
          Duration next = retry;
          Duration nextRetry = longer(retry);
          try {
            if (error == null) {
              current = fetched;
              LOG.atInfo()
                  .addKeyValue("from", source.describe())
                  .addKeyValue("expiresAt", fetched.expiration())
                  .log("AWS credentials of the pod's identity fetched");
              next = renewIn(clock.instant(), fetched.expiration(), timing.minRenew());
              nextRetry = MIN_RETRY;
            } else {
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              LOG.atWarn()
                  .addKeyValue("from", source.describe())
                  .addKeyValue("retryIn", retry)
                  .log("AWS credentials of the pod's identity not fetched: {}", reasonOf(cause));
            }
          } finally {
            schedule(next, nextRetry);
          }
        });
  }

  /** The credentials of a 200 answer; ones about to expire count as a failure. */
  private Fetched fetched(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          source.describe() + " answered " + response.statusCode() + errorCode(response.body()));
    }
    Fetched fetched = source.parse(response.body());
    if (fetched.expiration().isBefore(clock.instant().plus(timing.minLife()))) {
      throw new IllegalStateException(
          source.describe() + " gave credentials that expire at " + fetched.expiration());
    }
    return fetched;
  }

  private static Duration longer(Duration retry) {
    Duration doubled = retry.multipliedBy(2);
    return doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
  }

  private synchronized void schedule(Duration in, Duration nextRetry) {
    if (timer != null && !timer.isShutdown()) {
      timer.schedule(() -> fetch(nextRetry), in.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Five minutes before expiry, or at half the life when that is later; {@code soonest} at the
   * soonest, so that no expiry makes a loop of fetches.
   */
  static Duration renewIn(Instant now, Instant expiration, Duration soonest) {
    Duration life = Duration.between(now, expiration);
    Duration window = life.minus(PRE_EXPIRY);
    Duration half = life.dividedBy(2);
    Duration in = window.compareTo(half) > 0 ? window : half;
    return in.compareTo(soonest) < 0 ? soonest : in;
  }

  /**
   * A failure in words fit for a log line: this class's own messages, else the kind of failure and,
   * for I/O, its message (a refused connection, a timeout), never a request's header or body.
   */
  private static String reasonOf(Throwable error) {
    if (error instanceof IllegalStateException) {
      return error.getMessage();
    }
    return error instanceof IOException ? error.toString() : error.getClass().getSimpleName();
  }

  /** STS's error code ({@code AccessDenied}, {@code InvalidIdentityToken}, …): no secret in it. */
  private static String errorCode(String body) {
    Matcher code = ERROR_CODE.matcher(body == null ? "" : body);
    return code.find() ? " " + code.group(1) : "";
  }

  // --- the sources ---

  private static Optional<Source> webIdentitySource(Map<String, String> env) {
    String role = env.get("AWS_ROLE_ARN");
    String tokenFile = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (blank(role) || blank(tokenFile)) {
      return Optional.empty();
    }
    String session =
        blank(env.get("AWS_ROLE_SESSION_NAME"))
            ? "aigw-extproc-" + System.currentTimeMillis()
            : env.get("AWS_ROLE_SESSION_NAME");
    String sts = stsEndpoint(env);
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
            return HttpRequest.newBuilder(uri(sts, "the STS endpoint"))
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

  private static Optional<Source> containerSource(Map<String, String> env) {
    String full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    String relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (blank(full) && blank(relative)) {
      return Optional.empty();
    }
    // the relative one first, as the Java SDK and botocore have it
    String endpoint = blank(relative) ? full : ECS_HOST + relative;
    String tokenFile = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    String token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    return Optional.of(
        new Source() {
          @Override
          public HttpRequest request() throws IOException {
            URI uri = uri(endpoint, "the container credentials endpoint");
            if (!"https".equals(uri.getScheme()) && !agentHost(uri.getHost())) {
              throw new IllegalStateException(
                  endpoint
                      + " is neither HTTPS nor a container credentials agent's address: the"
                      + " authorization token is not sent there");
            }
            HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("accept", "application/json");
            String authorization =
                !blank(tokenFile)
                    ? Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip()
                    : token;
            if (!blank(authorization)) {
              // the HTTP client's own refusal would quote the token
              if (authorization.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalStateException(
                    "the container authorization token is not a valid header value");
              }
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

  /** Loopback and the agents' link-local addresses: the hosts plain HTTP may carry the token to. */
  private static boolean agentHost(String host) {
    return host != null && (AGENT_HOSTS.contains(host) || host.startsWith("127."));
  }

  private static URI uri(String value, String what) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(what + " is not a URI: " + value);
    }
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
