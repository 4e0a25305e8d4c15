package io.aigw.e2e.extproc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays Envoy's part for the ExtProc on loopback, the way the single router-level ext_proc filter
 * of {@code aigw envoy-bootstrap} is configured: request headers SEND, request body BUFFERED,
 * response headers SEND, response body BUFFERED unless the ExtProc overrides it to STREAMED. It
 * honours header and body mutations, immediate responses, {@code clear_route_cache} followed by
 * routing on {@code x-ai-eg-selected-backend} to that backend's address (host rewritten), and
 * records the dynamic metadata of each exchange.
 */
public final class EnvoyLikeProxy {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "upgrade",
          "te",
          "proxy-connection",
          "host",
          "content-length");

  private final Vertx vertx;
  private final SocketAddress extProc;
  private final Map<String, SocketAddress> backends = new ConcurrentHashMap<>();
  final List<RecordedExchange> exchanges = new CopyOnWriteArrayList<>();

  /** The exchanges recorded so far, in order. */
  public List<RecordedExchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private GrpcClient grpc;
  private HttpClient upstream;
  private HttpServer server;

  EnvoyLikeProxy(Vertx vertx, int extProcPort) {
    this.vertx = vertx;
    this.extProc = SocketAddress.inetSocketAddress(extProcPort, "127.0.0.1");
  }

  /** Envoy's cluster for a backend: where {@code <backend>.<ns>} is reached. */
  public EnvoyLikeProxy route(String backend, int port) {
    backends.put(backend, SocketAddress.inetSocketAddress(port, "127.0.0.1"));
    return this;
  }

  Future<EnvoyLikeProxy> start() {
    grpc = GrpcClient.client(vertx);
    upstream = vertx.createHttpClient();
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              server = s;
              return this;
            });
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return Future.all(server.close(), upstream.close(), grpc.close()).mapEmpty();
  }

  /** Per request state, as Envoy keeps it for one stream. */
  private static final class Exchange {
    final HttpServerRequest client;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Struct.Builder metadata = Struct.newBuilder();
    ExtProcClientStream stream;
    Buffer body = Buffer.buffer();
    boolean streamed;
    boolean clearRouteCache;

    Exchange(HttpServerRequest client) {
      this.client = client;
    }
  }

  private void handle(HttpServerRequest request) {
    request.pause();
    Exchange ex = new Exchange(request);
    ex.headers.put(":method", request.method().name());
    ex.headers.put(":path", request.uri());
    ex.headers.put(":authority", request.authority() == null ? "" : request.authority().toString());
    ex.headers.put(":scheme", "http");
    request
        .headers()
        .forEach(h -> ex.headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    boolean noBody = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
    ExtProcClientStream.open(grpc, extProc)
        .compose(
            stream -> {
              ex.stream = stream;
              return stream.send(headersMessage(ex.headers, noBody, true));
            })
        .compose(
            reply -> {
              if (reply.hasImmediateResponse()) {
                return immediate(ex, reply.getImmediateResponse());
              }
              apply(ex, reply.getRequestHeaders().getResponse(), ex.headers);
              if (noBody) {
                return forward(ex);
              }
              request.resume();
              return request.body().compose(body -> requestBody(ex, body));
            })
        .onFailure(
            error -> {
              if (!request.response().ended()) {
                request.response().setStatusCode(500).end("proxy: " + error.getMessage());
              }
            })
        .onComplete(
            ar -> {
              if (ex.stream != null) {
                ex.stream.close();
              }
            });
  }

  private Future<Void> requestBody(Exchange ex, Buffer body) {
    ex.body = body;
    ProcessingRequest message =
        ProcessingRequest.newBuilder()
            .setRequestBody(
                HttpBody.newBuilder()
                    .setBody(ByteString.copyFrom(body.getBytes()))
                    .setEndOfStream(true))
            .build();
    return ex.stream
        .send(message)
        .compose(
            reply -> {
              if (reply.hasImmediateResponse()) {
                return immediate(ex, reply.getImmediateResponse());
              }
              apply(ex, reply.getRequestBody().getResponse(), ex.headers);
              return forward(ex);
            });
  }

  /** Applies a common response: header mutation to {@code headers}, body mutation to the body. */
  private static Buffer apply(Exchange ex, CommonResponse common, Map<String, String> headers) {
    HeaderMutation mutation = common.getHeaderMutation();
    mutation.getRemoveHeadersList().forEach(name -> headers.remove(name.toLowerCase(Locale.ROOT)));
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      HeaderValue header = option.getHeader();
      String value =
          header.getValue().isEmpty() ? header.getRawValue().toStringUtf8() : header.getValue();
      headers.put(header.getKey().toLowerCase(Locale.ROOT), value);
    }
    if (common.getClearRouteCache()) {
      ex.clearRouteCache = true;
    }
    if (common.getBodyMutation().hasBody()) {
      Buffer replaced = Buffer.buffer(common.getBodyMutation().getBody().toByteArray());
      if (headers == ex.headers) {
        ex.body = replaced;
      }
      return replaced;
    }
    return null;
  }

  private Future<Void> immediate(Exchange ex, ImmediateResponse immediate) {
    HttpServerResponse response =
        ex.client.response().setStatusCode(immediate.getStatus().getCodeValue());
    Map<String, String> headers = new LinkedHashMap<>();
    apply(
        ex, CommonResponse.newBuilder().setHeaderMutation(immediate.getHeaders()).build(), headers);
    headers.forEach(
        (k, v) -> {
          if (!HOP_BY_HOP.contains(k)) response.putHeader(k, v);
        });
    record(ex, Optional.empty(), immediate.getStatus().getCodeValue());
    return response.end(Buffer.buffer(immediate.getBody().toByteArray()));
  }

  private Future<Void> forward(Exchange ex) {
    String backend = ex.clearRouteCache ? ex.headers.get("x-ai-eg-selected-backend") : null;
    SocketAddress address = backend == null ? null : backends.get(backend);
    if (address == null) {
      record(ex, Optional.ofNullable(backend), 404);
      return ex.client.response().setStatusCode(404).end("No matching route found.");
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(ex.headers.get(":method")))
            .setServer(address)
            .setHost(address.host())
            .setPort(address.port())
            .setURI(ex.headers.get(":path"));
    ex.headers.forEach(
        (k, v) -> {
          if (!k.startsWith(":") && !HOP_BY_HOP.contains(k)) options.putHeader(k, v);
        });
    return upstream
        .request(options)
        .compose(req -> req.send(ex.body))
        .compose(response -> respond(ex, backend, response));
  }

  private Future<Void> respond(Exchange ex, String backend, HttpClientResponse upstreamResponse) {
    upstreamResponse.pause();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":status", Integer.toString(upstreamResponse.statusCode()));
    upstreamResponse
        .headers()
        .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    return ex.stream
        .send(headersMessage(headers, false, false))
        .compose(
            reply -> {
              merge(ex, reply);
              apply(ex, reply.getResponseHeaders().getResponse(), headers);
              ex.streamed =
                  reply.hasModeOverride()
                      && reply.getModeOverride().getResponseBodyMode()
                          == ProcessingMode.BodySendMode.STREAMED;
              HttpServerResponse client =
                  ex.client.response().setStatusCode(upstreamResponse.statusCode());
              headers.forEach(
                  (k, v) -> {
                    if (!k.startsWith(":") && !HOP_BY_HOP.contains(k)) client.putHeader(k, v);
                  });
              return ex.streamed
                  ? streamBody(ex, backend, upstreamResponse, client)
                  : bufferBody(ex, backend, upstreamResponse, client);
            });
  }

  private Future<Void> bufferBody(
      Exchange ex, String backend, HttpClientResponse upstreamResponse, HttpServerResponse client) {
    upstreamResponse.resume();
    return upstreamResponse
        .body()
        .compose(
            body ->
                ex.stream
                    .send(bodyMessage(body, true))
                    .compose(
                        reply -> {
                          merge(ex, reply);
                          Map<String, String> extra = new LinkedHashMap<>();
                          Buffer replaced = apply(ex, reply.getResponseBody().getResponse(), extra);
                          extra.forEach(
                              (k, v) -> {
                                if (!HOP_BY_HOP.contains(k)) client.putHeader(k, v);
                              });
                          record(ex, Optional.of(backend), client.getStatusCode());
                          return client.end(replaced != null ? replaced : body);
                        }));
  }

  private Future<Void> streamBody(
      Exchange ex, String backend, HttpClientResponse upstreamResponse, HttpServerResponse client) {
    client.setChunked(true);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Future<Void>[] chain = new Future[] {Future.succeededFuture()};
    upstreamResponse.handler(
        chunk ->
            chain[0] =
                chain[0]
                    .compose(v -> ex.stream.send(bodyMessage(chunk, false)))
                    .compose(reply -> write(ex, client, chunk, reply)));
    upstreamResponse.endHandler(
        v ->
            chain[0]
                .compose(x -> ex.stream.send(bodyMessage(Buffer.buffer(), true)))
                .compose(reply -> write(ex, client, Buffer.buffer(), reply))
                .compose(
                    x -> {
                      record(ex, Optional.of(backend), client.getStatusCode());
                      return client.end();
                    })
                .onComplete(done));
    upstreamResponse.exceptionHandler(done::tryFail);
    upstreamResponse.resume();
    return done.future();
  }

  private Future<Void> write(
      Exchange ex, HttpServerResponse client, Buffer chunk, ProcessingResponse reply) {
    merge(ex, reply);
    Buffer replaced = apply(ex, reply.getResponseBody().getResponse(), new LinkedHashMap<>());
    Buffer out = replaced != null ? replaced : chunk;
    return out.length() == 0 ? Future.succeededFuture() : client.write(out);
  }

  private static void merge(Exchange ex, ProcessingResponse reply) {
    if (reply.hasDynamicMetadata()) {
      ex.metadata.mergeFrom(reply.getDynamicMetadata());
    }
  }

  private void record(Exchange ex, Optional<String> backend, int status) {
    exchanges.add(new RecordedExchange(backend, status, ex.metadata.build(), ex.streamed));
  }

  private static ProcessingRequest headersMessage(
      Map<String, String> headers, boolean end, boolean request) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    headers.forEach(
        (k, v) ->
            map.addHeaders(
                HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v))));
    HttpHeaders httpHeaders = HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(end).build();
    return request
        ? ProcessingRequest.newBuilder().setRequestHeaders(httpHeaders).build()
        : ProcessingRequest.newBuilder().setResponseHeaders(httpHeaders).build();
  }

  private static ProcessingRequest bodyMessage(Buffer body, boolean end) {
    return ProcessingRequest.newBuilder()
        .setResponseBody(
            HttpBody.newBuilder().setBody(ByteString.copyFrom(body.getBytes())).setEndOfStream(end))
        .build();
  }
}
