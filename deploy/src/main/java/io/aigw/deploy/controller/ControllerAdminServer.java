package io.aigw.deploy.controller;

import io.aigw.admin.api.Responses;
import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.api.StreamHandler;
import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminServer;
import io.aigw.admin.server.AdminSources;
import io.aigw.admin.tls.TlsReloader;
import io.aigw.deploy.apply.FabricObjectApi;
import io.aigw.deploy.restore.KubernetesRestoreTarget;
import io.aigw.projections.gateway.GatewayProjection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port of {@code aigw controller}: the admin API and dashboard of {@link AdminServer}
 * (restores applied to the API server through a {@link KubernetesRestoreTarget}), with the
 * controller's own {@code /healthz}, {@code /readyz} and {@code /status} answered in front of it.
 *
 * <p>Why a front: the admin server's {@code /readyz} means "the log is replayed and indexed", which
 * in the controller holds before the informers have synced; the Deployment's readiness probe must
 * wait for the sync. So the admin server listens on loopback only, and this server, on the admin
 * port, answers the probes and relays everything else (streams included) to it unchanged.
 */
public final class ControllerAdminServer {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerAdminServer.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final String STREAM_PATH = "/api/stream";

  /** A shadow replay of a large log answers after minutes; one runs at a time (409 otherwise). */
  private static final String REPLAY_PATH = "/api/replay";

  /** Headers of one hop, not relayed. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /** Relays waiting for a pooled connection at most; more are answered 503 at once. */
  static final int RELAY_QUEUE = 128;

  /** The shortest a relay may go without a byte from the admin server. */
  static final Duration MIN_RELAY_TIMEOUT = Duration.ofSeconds(30);

  private final AdminServer admin;
  private final HttpClient relay;
  private final HttpClient streams;
  private final long relayTimeoutMillis;
  private final ControllerProbes probes;
  private HttpServer server;
  private TlsReloader tls;

  private ControllerAdminServer(
      Vertx vertx, AdminServer admin, ControllerProbes probes, Duration relayTimeout) {
    this.admin = admin;
    this.probes = probes;
    this.relayTimeoutMillis = relayTimeout.toMillis();
    // separate pools: live streams hold their connection for as long as a dashboard is open, and
    // must never leave the API calls of every other tab queued behind them
    this.relay = relayClient(vertx, admin.port(), 64);
    this.streams = relayClient(vertx, admin.port(), StreamHandler.MAX_CLIENTS + 1);
  }

  private static HttpClient relayClient(Vertx vertx, int port, int connections) {
    return vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost(LOOPBACK).setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(RELAY_QUEUE));
  }

  /**
   * Starts the admin server for {@code controller} and listens where {@code options} say ({@code
   * port} 0 picks a free port), with HTTPS when they give TLS files. Generated tokens, if any, are
   * printed once to standard output.
   */
  public static Future<ControllerAdminServer> start(
      Vertx vertx, KubernetesController controller, AdminOptions options) {
    ControllerProbes probes = new ControllerProbes(controller);
    ControllerOptions controllerOptions = controller.options();
    Duration requestTimeout = controllerOptions.requestTimeout();
    Duration restoreTimeout = requestTimeout.multipliedBy(3);
    RestoreTarget restore =
        new KubernetesRestoreTarget(
            new FabricObjectApi(controller.client(), requestTimeout), restoreTimeout);
    AdminSources sources =
        new AdminSources(
            controller.log(),
            controller.host(),
            new GatewayProjection(controllerOptions.extProc()),
            restore,
            probes::metrics);
    // a restore answers only once the API server has; the relay must outwait it
    Duration restoreAnswer = restoreTimeout.plus(requestTimeout);
    Duration relayTimeout =
        restoreAnswer.compareTo(MIN_RELAY_TIMEOUT) > 0 ? restoreAnswer : MIN_RELAY_TIMEOUT;
    // the relay to the admin server stays on loopback: plain HTTP, whatever the front speaks
    return AdminServer.start(vertx, new AdminOptions(LOOPBACK, 0, options.tokens()), sources)
        .compose(admin -> front(vertx, admin, probes, relayTimeout, options));
  }

  /**
   * Listens in front of {@code admin} where {@code options} say; when it cannot, closes the admin
   * server and the relays so that a failed start leaves nothing listening behind it.
   */
  static Future<ControllerAdminServer> front(
      Vertx vertx,
      AdminServer admin,
      ControllerProbes probes,
      Duration relayTimeout,
      AdminOptions options) {
    ControllerAdminServer front = new ControllerAdminServer(vertx, admin, probes, relayTimeout);
    HttpServerOptions http =
        new HttpServerOptions().setHost(options.host()).setPort(options.port());
    return TlsReloader.loadIfGiven(vertx, options.tls())
        .compose(
            loaded -> {
              front.tls = loaded.orElse(null);
              return front.listen(vertx, http);
            })
        .recover(
            error ->
                front
                    .close()
                    .transform(closed -> Future.<ControllerAdminServer>failedFuture(error)));
  }

  private Future<ControllerAdminServer> listen(Vertx vertx, HttpServerOptions http) {
    server =
        vertx
            .createHttpServer(tls == null ? http : tls.serve(http))
            .invalidRequestHandler(Responses::invalidRequest)
            .requestHandler(this::handle);
    return server
        .listen()
        .map(
            listening -> {
              if (tls != null) {
                tls.follow(listening);
              }
              LOG.atInfo()
                  .addKeyValue("port", listening.actualPort())
                  .log(
                      "admin API, dashboard and probes on port {} ({})",
                      listening.actualPort(),
                      tls == null ? "HTTP" : "HTTPS, " + tls.served());
              return this;
            });
  }

  private void handle(HttpServerRequest request) {
    if (!probes.handle(request)) {
      forward(request);
    }
  }

  /**
   * Relays the request to the admin server and its answer back, both streamed. A live stream goes
   * through its own pool and may stay silent between entries, and a replay may stay silent until it
   * is done; any other relay that waits longer than the relay timeout for a connection or a byte is
   * answered 504.
   */
  private void forward(HttpServerRequest in) {
    in.pause();
    boolean stream = STREAM_PATH.equals(in.path());
    RequestOptions options =
        new RequestOptions()
            .setMethod(in.method())
            .setHost(LOOPBACK)
            .setPort(admin.port())
            .setURI(in.uri());
    if (stream || REPLAY_PATH.equals(in.path())) {
      options.setConnectTimeout(relayTimeoutMillis);
    } else {
      options.setTimeout(relayTimeoutMillis);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(in.headers(), headers);
    options.setHeaders(headers);
    boolean hasBody =
        in.headers().contains(HttpHeaders.CONTENT_LENGTH)
            || in.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    (stream ? streams : relay)
        .request(options)
        .compose(
            out -> {
              // a client that goes away (a dashboard tab closed on the live stream) ends the relay
              in.response().closeHandler(v -> out.reset());
              if (hasBody) {
                return out.send(in);
              }
              in.resume();
              return out.send();
            })
        .onSuccess(answer -> respond(answer, in.response()))
        .onFailure(error -> failed(in, error));
  }

  private static void failed(HttpServerRequest in, Throwable error) {
    in.resume();
    HttpServerResponse response = in.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    int status;
    String reason;
    if (error instanceof ConnectionPoolTooBusyException) {
      status = 503;
      reason = "the admin server is busy: try again";
    } else if (error instanceof TimeoutException) {
      status = 504;
      reason = "the admin server did not answer in time";
    } else {
      status = 502;
      reason = "the admin server did not answer";
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", reason).encode());
  }

  private static void respond(HttpClientResponse answer, HttpServerResponse response) {
    if (response.closed()) {
      answer.request().reset();
      return;
    }
    response.setStatusCode(answer.statusCode());
    response.setStatusMessage(answer.statusMessage());
    copyHeaders(answer.headers(), response.headers());
    boolean bodyless =
        answer.statusCode() == 204 || answer.statusCode() == 304 || answer.statusCode() < 200;
    if (!bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    answer.pipeTo(response);
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    from.forEach(
        header -> {
          if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
            to.add(header.getKey(), header.getValue());
          }
        });
  }

  /** The admin port. */
  public int port() {
    return server.actualPort();
  }

  /** The admin server behind the front (on loopback). */
  public AdminServer admin() {
    return admin;
  }

  /** Stops listening, then stops the relays and the admin server. */
  public Future<Void> close() {
    if (tls != null) {
      tls.close();
    }
    Future<Void> front = server == null ? Future.succeededFuture() : server.close();
    return front.eventually(relay::close).eventually(streams::close).eventually(admin::close);
  }
}
