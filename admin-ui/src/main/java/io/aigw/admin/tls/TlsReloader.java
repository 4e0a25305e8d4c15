package io.aigw.admin.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an HTTPS server on the current contents of its {@link TlsFiles}: reads them every few
 * seconds, and swaps a changed pair in once it reads as a certificate chain and its key, so that a
 * renewed certificate (cert-manager's, the kubelet updating the mounted Secret) is served without a
 * restart. Connections open keep the pair they were made with. A changed pair that does not read
 * (an operator half way through copying the two files) is reported once, and the server keeps the
 * pair it has.
 */
public final class TlsReloader {

  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  /** About how soon the kubelet shows a Secret's update; renewals come days before expiry. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final TlsFiles files;
  private final Duration checkEvery;
  private volatile TlsPair served;
  private volatile byte[][] refused = new byte[0][];
  private volatile String refusal;
  private HttpServer server;
  private volatile long timer = -1;
  private boolean checking;

  private TlsReloader(Vertx vertx, TlsFiles files, TlsPair served, Duration checkEvery) {
    this.vertx = vertx;
    this.files = files;
    this.served = served;
    this.checkEvery = checkEvery;
  }

  /** Reads and checks the files (on a worker); fails with a {@link TlsFilesException}. */
  public static Future<TlsReloader> load(Vertx vertx, TlsFiles files) {
    return load(vertx, files, CHECK_EVERY);
  }

  /** {@link #load} when {@code files} are given; empty (plain HTTP) when they are not. */
  public static Future<Optional<TlsReloader>> loadIfGiven(Vertx vertx, Optional<TlsFiles> files) {
    return files.isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : load(vertx, files.get()).map(Optional::of);
  }

  static Future<TlsReloader> load(Vertx vertx, TlsFiles files, Duration checkEvery) {
    return vertx
        .executeBlocking(() -> files.read(vertx))
        .map(
            pair -> {
              warnIfExpired(pair, "serving");
              return new TlsReloader(vertx, files, pair, checkEvery);
            });
  }

  /** {@code options} serving HTTPS with the pair read last. */
  public HttpServerOptions serve(HttpServerOptions options) {
    return options.setSsl(true).setKeyCertOptions(served.keyCertOptions());
  }

  /** Starts swapping changed files into {@code listening}, which {@link #serve} configured. */
  public void follow(HttpServer listening) {
    this.server = listening;
    timer = vertx.setPeriodic(checkEvery.toMillis(), id -> check());
  }

  /** The pair the server serves new connections with. */
  public TlsPair served() {
    return served;
  }

  /** Why the files as they are now are not served, when they changed and do not read. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** Stops reading the files. */
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    vertx
        .executeBlocking(this::changed)
        .compose(changed -> changed.map(this::swapIn).orElse(Future.succeededFuture()))
        .onComplete(done -> checking = false);
  }

  /** The files' pair when they changed since the pair served or refused last, and read well. */
  private Optional<TlsPair> changed() {
    byte[][] now;
    try {
      now = new byte[][] {Files.readAllBytes(files.certificate()), Files.readAllBytes(files.key())};
    } catch (IOException e) {
      // a file gone for a moment while its Secret is updated: read again at the next check
      return Optional.empty();
    }
    if (served.holds(now[0], now[1])) {
      refusal = null;
      return Optional.empty();
    }
    if (Arrays.deepEquals(refused, now)) {
      return Optional.empty();
    }
    try {
      TlsPair pair = files.read(vertx);
      Instant at = Instant.now();
      // a renewal that went wrong must not take the place of a pair that works; not remembered as
      // refused, since it may become valid (one staged before its time) while these bytes stay
      if (!pair.validAt(at) && served.validAt(at)) {
        String reason =
            files.certificateFlag() + " " + files.certificate() + ": " + pair + " is not valid now";
        if (!reason.equals(refusal)) {
          LOG.atWarn().log("admin TLS: {}; still serving {}", reason, served);
        }
        refusal = reason;
        return Optional.empty();
      }
      return Optional.of(pair);
    } catch (TlsFilesException e) {
      refused = now;
      refusal = e.getMessage();
      LOG.atWarn().log("admin TLS: {}; still serving {}", e.getMessage(), served);
      return Optional.empty();
    }
  }

  private Future<Void> swapIn(TlsPair pair) {
    return server
        .updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(pair.keyCertOptions()))
        .onSuccess(
            updated -> {
              served = pair;
              refusal = null;
              LOG.atInfo().log("admin TLS: now serving {}", pair);
              warnIfExpired(pair, "now serving");
            })
        .onFailure(
            e -> {
              // said once, as a pair that does not read: not again at every check
              refused = new byte[][] {pair.chainFile(), pair.keyPem()};
              refusal = pair + " not served: " + e.getMessage();
              LOG.atWarn().log("admin TLS: {}; still serving {}", refusal, served);
            })
        .mapEmpty();
  }

  private static void warnIfExpired(TlsPair pair, String doing) {
    if (!pair.validAt(Instant.now())) {
      LOG.atWarn().log("admin TLS: {} a certificate that is not valid now: {}", doing, pair);
    }
  }
}
