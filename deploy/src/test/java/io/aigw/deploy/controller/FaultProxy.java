package io.aigw.deploy.controller;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A proxy in front of the mock API server that misbehaves like a loaded real one: a share of the
 * writes answer 500 (half of them after the write was done, so the client cannot tell whether it
 * happened) or 409, and every watch (a WebSocket) is dropped after a random time. It also records
 * every write, to show when there were none.
 */
final class FaultProxy implements AutoCloseable {

  /** What goes wrong: shares of writes answered 500 and 409, and the longest a watch lives. */
  record Faults(double serverErrors, double conflicts, Duration watchLife) {
    static final Faults NONE = new Faults(0, 0, Duration.ZERO);
  }

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "upgrade",
          "transfer-encoding",
          "content-length",
          "keep-alive",
          "host",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions",
          "sec-websocket-accept");

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final HttpClient http;
  private final WebSocketClient websockets;
  private final Random random = new Random(42);
  private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
  private final List<WebSocket> abandoned = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong serverErrors = new AtomicLong();
  final AtomicLong conflicts = new AtomicLong();
  final AtomicLong droppedWatches = new AtomicLong();
  private volatile Faults faults = Faults.NONE;
  private HttpServer server;

  private FaultProxy(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.http = vertx.createHttpClient();
    this.websockets = vertx.createWebSocketClient();
  }

  static FaultProxy start(Vertx vertx, String host, int port) throws Exception {
    FaultProxy proxy = new FaultProxy(vertx, host, port);
    proxy.server =
        vertx
            .createHttpServer()
            .requestHandler(proxy::handle)
            .listen(0, "127.0.0.1")
            .await(5, java.util.concurrent.TimeUnit.SECONDS);
    return proxy;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void faults(Faults value) {
    this.faults = value;
  }

  /** Every write forwarded or refused so far, as {@code METHOD path}. */
  List<String> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  void clearWrites() {
    writes.clear();
  }

  private void handle(HttpServerRequest request) {
    if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      request.toWebSocket().onSuccess(inbound -> bridge(request, inbound)).onFailure(e -> {});
      return;
    }
    boolean write = request.method() != HttpMethod.GET;
    Faults now = faults;
    if (write) {
      writes.add(request.method() + " " + request.path());
      double roll = random();
      if (roll < now.serverErrors() / 2) {
        serverErrors.incrementAndGet();
        refuse(request, 500, "InternalError", "injected before the write");
        return;
      }
      if (roll < now.serverErrors()) {
        serverErrors.incrementAndGet();
        forward(request)
            .onComplete(done -> answer(request, 500, "InternalError", "injected after the write"));
        return;
      }
      if (roll < now.serverErrors() + now.conflicts()) {
        conflicts.incrementAndGet();
        refuse(request, 409, "Conflict", "injected conflict");
        return;
      }
    }
    forward(request)
        .onSuccess(
            response -> {
              request.response().setStatusCode(response.statusCode());
              copyHeaders(response.headers(), request.response().headers());
              response.body().onSuccess(body -> request.response().end(body));
            })
        .onFailure(e -> answer(request, 502, "BadGateway", e.toString()));
  }

  private Future<HttpClientResponse> forward(HttpServerRequest request) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(host)
            .setPort(port)
            .setURI(request.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(request.headers(), headers);
    options.setHeaders(headers);
    return request
        .body()
        .compose(body -> http.request(options).compose(outbound -> outbound.send(body)))
        .compose(response -> response.body().map(ignored -> response));
  }

  private void refuse(HttpServerRequest request, int code, String reason, String message) {
    request.body().onComplete(done -> answer(request, code, reason, message));
  }

  private static void answer(HttpServerRequest request, int code, String reason, String message) {
    if (request.response().ended()) {
      return;
    }
    String status =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
            + code
            + ",\"reason\":\""
            + reason
            + "\",\"message\":\""
            + message
            + "\"}";
    request
        .response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .end(status);
  }

  private void bridge(HttpServerRequest request, ServerWebSocket inbound) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost(host).setPort(port).setURI(request.uri());
    request
        .headers()
        .forEach(
            h -> {
              if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                options.addHeader(h.getKey(), h.getValue());
              }
            });
    websockets
        .connect(options)
        .onSuccess(outbound -> join(inbound, outbound))
        .onFailure(e -> inbound.close());
  }

  private void join(ServerWebSocket inbound, WebSocket outbound) {
    outbound.textMessageHandler(inbound::writeTextMessage);
    outbound.binaryMessageHandler(inbound::writeBinaryMessage);
    inbound.textMessageHandler(outbound::writeTextMessage);
    inbound.binaryMessageHandler(outbound::writeBinaryMessage);
    outbound.closeHandler(v -> inbound.close());
    inbound.closeHandler(v -> outbound.close());
    long life = faults.watchLife().toMillis();
    if (life > 0) {
      vertx.setTimer(1 + (long) (random() * life), id -> drop(inbound, outbound));
    }
  }

  /**
   * The connection breaks between the client and the proxy: the client sees its watch end, the
   * server's side stays open (unheard) until the proxy closes. (Closing the server's side while it
   * sends stalls fabric8's mock server for up to a minute: its watch listener waits for its sender
   * on the event loop that sender needs.)
   */
  private void drop(ServerWebSocket inbound, WebSocket outbound) {
    if (inbound.isClosed()) {
      return;
    }
    droppedWatches.incrementAndGet();
    outbound.textMessageHandler(message -> {});
    outbound.binaryMessageHandler(message -> {});
    outbound.closeHandler(v -> {});
    inbound.closeHandler(v -> {});
    inbound.close();
    abandoned.add(outbound);
  }

  private synchronized double random() {
    return random.nextDouble();
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    from.forEach(
        h -> {
          if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
            to.add(h.getKey(), h.getValue());
          }
        });
  }

  @Override
  public void close() {
    abandoned.forEach(WebSocket::close);
    server.close();
    http.close();
    websockets.close();
  }
}
