package io.aigw.deploy.controller;

import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminServer;
import io.aigw.admin.server.AdminSources;
import io.aigw.admin.server.AdminTokens;
import io.aigw.deploy.apply.FabricObjectApi;
import io.aigw.deploy.restore.KubernetesRestoreTarget;
import io.aigw.projections.gateway.GatewayProjection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Set;
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

  private final AdminServer admin;
  private final HttpClient relay;
  private final ControllerProbes probes;
  private HttpServer server;

  private ControllerAdminServer(AdminServer admin, HttpClient relay, ControllerProbes probes) {
    this.admin = admin;
    this.relay = relay;
    this.probes = probes;
  }

  /**
   * Starts the admin server for {@code controller} and listens on {@code host}:{@code port} ({@code
   * 0} picks a free port). Generated tokens, if any, are printed once to standard output.
   */
  public static Future<ControllerAdminServer> start(
      Vertx vertx, KubernetesController controller, AdminTokens tokens, String host, int port) {
    ControllerProbes probes = new ControllerProbes(controller);
    ControllerOptions options = controller.options();
    RestoreTarget restore =
        new KubernetesRestoreTarget(
            new FabricObjectApi(controller.client(), options.requestTimeout()),
            options.requestTimeout().multipliedBy(3));
    AdminSources sources =
        new AdminSources(
            controller.log(),
            controller.host(),
            new GatewayProjection(options.extProc()),
            restore,
            probes::metrics);
    return AdminServer.start(vertx, new AdminOptions(LOOPBACK, 0, tokens), sources)
        .compose(
            admin -> {
              HttpClient relay =
                  vertx.createHttpClient(
                      new HttpClientOptions()
                          .setDefaultHost(LOOPBACK)
                          .setDefaultPort(admin.port())
                          .setKeepAlive(true),
                      new PoolOptions().setHttp1MaxSize(64));
              ControllerAdminServer front = new ControllerAdminServer(admin, relay, probes);
              return vertx
                  .createHttpServer()
                  .requestHandler(front::handle)
                  .listen(port, host)
                  .map(
                      listening -> {
                        front.server = listening;
                        LOG.atInfo()
                            .addKeyValue("port", listening.actualPort())
                            .log(
                                "admin API, dashboard and probes on port {}",
                                listening.actualPort());
                        return front;
                      });
            });
  }

  private void handle(HttpServerRequest request) {
    if (!probes.handle(request)) {
      forward(request);
    }
  }

  /** Relays the request to the admin server and its answer back, both streamed. */
  private void forward(HttpServerRequest in) {
    in.pause();
    RequestOptions options =
        new RequestOptions()
            .setMethod(in.method())
            .setHost(LOOPBACK)
            .setPort(admin.port())
            .setURI(in.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(in.headers(), headers);
    options.setHeaders(headers);
    boolean hasBody =
        in.headers().contains(HttpHeaders.CONTENT_LENGTH)
            || in.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    relay
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
        .onFailure(
            error -> {
              in.resume();
              HttpServerResponse response = in.response();
              if (!response.headWritten() && !response.closed()) {
                response
                    .setStatusCode(502)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"the admin server did not answer\"}");
              }
            });
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

  /** Stops listening, then stops the admin server. */
  public Future<Void> close() {
    Future<Void> front = server == null ? Future.succeededFuture() : server.close();
    return front.compose(v -> relay.close()).compose(v -> admin.close());
  }
}
