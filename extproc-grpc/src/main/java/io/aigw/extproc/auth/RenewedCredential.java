package io.aigw.extproc.auth;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short-lived credential of the pod's own identity, fetched over HTTP from where the platform
 * gives it (STS, a container credentials agent, GCP's metadata server) and kept fresh.
 *
 * <p>Requests run on the event loop, so the credential is fetched on a thread of its own, renewed
 * five minutes before it expires (at half its life when that is later, never sooner than {@link
 * Timing#minRenew} after the last fetch) and retried after a failure from 1 s doubling to 1 min;
 * requests take the last one fetched. Failures are logged with the status code and what the {@link
 * Source} reads of the error, never a token, a key or a body.
 *
 * @param <T> the credential
 */
final class RenewedCredential<T> {

  private static final Logger LOG = LoggerFactory.getLogger(RenewedCredential.class);
  private static final Duration PRE_EXPIRY = Duration.ofMinutes(5);
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);

  /** How long a fetch may take, its headers and again its body. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * How soon after a fetch the next one may come, and how long a fetched credential must live at
   * least (a shorter life counts as a failed fetch): 30 s and a minute, shorter in tests.
   */
  record Timing(Duration minRenew, Duration minLife) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofMinutes(1));
  }

  /** A credential and when it expires. */
  record Fetched<T>(T value, Instant expiration) {}

  /** Where the credential comes from; builds one fetch's request from the files as they are. */
  interface Source<T> {
    HttpRequest request() throws IOException;

    Fetched<T> parse(String body);

    /** The endpoint, for log lines. */
    String describe();

    /** What of an error answer's body may be logged (an error code): nothing by default. */
    default String errorCode(String body) {
      return "";
    }
  }

  private final Source<T> source;
  private final String what;
  // made on the fetching thread: making one loads the trust store, which must not hold up a request
  private HttpClient http;
  private final Clock clock;
  private final Timing timing;
  private volatile Fetched<T> current;
  // guarded by this
  private ScheduledExecutorService timer;
  private volatile boolean started;

  /**
   * Only when a source is configured: its HTTP client, made at the first fetch, has a thread of its
   * own.
   *
   * @param what the credential in log lines and the fetching thread's name ({@code aws}, {@code
   *     gcp})
   */
  RenewedCredential(Source<T> source, String what, Clock clock, Timing timing) {
    this.source = source;
    this.what = what;
    this.clock = clock;
    this.timing = timing;
  }

  /** The last credential fetched, while it has not expired. */
  Optional<T> current() {
    Fetched<T> fetched = current;
    return fetched == null || !clock.instant().isBefore(fetched.expiration())
        ? Optional.empty()
        : Optional.of(fetched.value());
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
                Thread thread = new Thread(task, "aigw-" + what + "-identity");
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
    CompletableFuture<Fetched<T>> attempt;
    try {
      if (http == null) {
        http = HttpClient.newHttpClient();
      }
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
                  .log("{} credentials of the pod's identity fetched", what.toUpperCase());
              next = renewIn(clock.instant(), fetched.expiration(), timing.minRenew());
              nextRetry = MIN_RETRY;
            } else {
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              LOG.atWarn()
                  .addKeyValue("from", source.describe())
                  .addKeyValue("retryIn", retry)
                  .log(
                      "{} credentials of the pod's identity not fetched: {}",
                      what.toUpperCase(),
                      reasonOf(cause));
            }
          } finally {
            schedule(next, nextRetry);
          }
        });
  }

  /** The credential of a 200 answer; one about to expire counts as a failure. */
  private Fetched<T> fetched(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          source.describe()
              + " answered "
              + response.statusCode()
              + source.errorCode(response.body() == null ? "" : response.body()));
    }
    Fetched<T> fetched = source.parse(response.body());
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
   * A failure in words fit for a log line: the sources' own messages, else the kind of failure and,
   * for I/O, its message (a refused connection, a timeout), never a request's header or body.
   */
  private static String reasonOf(Throwable error) {
    if (error instanceof IllegalStateException) {
      return error.getMessage();
    }
    return error instanceof IOException ? error.toString() : error.getClass().getSimpleName();
  }
}
