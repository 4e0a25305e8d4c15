package io.aigw.e2e.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A provider endpoint on loopback: records each request it receives (path with query, lower-case
 * headers, exact body bytes) and answers it with the test's handler.
 */
final class FakeEndpoint implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as it arrived. */
  record Received(String method, String uri, Map<String, String> headers, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Received> received;

  private FakeEndpoint(HttpServer server, List<Received> received) {
    this.server = server;
    this.received = received;
  }

  static FakeEndpoint start(Vertx vertx, BiConsumer<Received, HttpServerResponse> handler) {
    List<Received> sink = new CopyOnWriteArrayList<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(request -> accept(request, sink, handler))
            .listen(0, "127.0.0.1")
            .await();
    return new FakeEndpoint(server, sink);
  }

  /** What arrived, in order. */
  List<Received> requests() {
    return List.copyOf(received);
  }

  private static void accept(
      HttpServerRequest request,
      List<Received> sink,
      BiConsumer<Received, HttpServerResponse> handler) {
    request
        .body()
        .onSuccess(
            (Buffer body) -> {
              Map<String, String> headers = new LinkedHashMap<>();
              request
                  .headers()
                  .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
              Received received =
                  new Received(request.method().name(), request.uri(), headers, body.getBytes());
              sink.add(received);
              handler.accept(received, request.response());
            });
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
