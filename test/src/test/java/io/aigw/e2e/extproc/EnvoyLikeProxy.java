package io.aigw.e2e.extproc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import io.aigw.extproc.envoy.EnvoyBootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.Route;
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
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Plays Envoy's part for the ExtProc on loopback, the way the single router-level ext_proc filter
 * of {@code aigw envoy-bootstrap} is configured: request headers SEND, request body BUFFERED,
 * response headers SEND, response body BUFFERED unless the ExtProc overrides it to STREAMED. It
 * honours header and body mutations, immediate responses, {@code clear_route_cache} followed by
 * routing on {@code x-ai-eg-selected-backend} to that backend's address (host rewritten), or on the
 * route table of a bootstrap {@code aigw envoy-bootstrap} printed ({@link #routes}), and records
 * the dynamic metadata of each exchange. Where Envoy would fail or ignore what the ExtProc says, so
 * does this: an answer of the wrong kind, a header with both {@code value} and {@code raw_value},
 * or a replaced body under a content-length that no longer fits fail the request; mutations of
 * {@code host}, {@code :authority}, {@code :method}, {@code :scheme} and {@code x-envoy-*} are
 * ignored; only {@code raw_value} is read; metadata is kept from every answer in the receiving
 * namespace only. A buffered response's headers wait for the body's answer; an empty response ends
 * with its headers; a streamed body's last chunk carries the end of the stream.
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

  /** The namespace aigw's filter receives metadata in ({@code receiving_namespaces}). */
  private static final String RECEIVING_NAMESPACE = "io.envoy.ai_gateway";

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
  private volatile Set<String> forwarded = Set.of();
  private volatile Function<HttpServerRequest, Map<String, Struct>> filterInFront = r -> Map.of();

  EnvoyLikeProxy(Vertx vertx, int extProcPort) {
    this.vertx = vertx;
    this.extProc = SocketAddress.inetSocketAddress(extProcPort, "127.0.0.1");
  }

  /** Envoy's cluster for a backend: where {@code <backend>.<ns>} is reached. */
  public EnvoyLikeProxy route(String backend, int port) {
    backends.put(backend, SocketAddress.inetSocketAddress(port, "127.0.0.1"));
    return this;
  }

  /**
   * A route of a bootstrap: the headers it matches exactly, its endpoint, its timeout (0: none).
   */
  private record BootstrapRoute(
      Map<String, String> headers,
      List<String> headersToRemove,
      SocketAddress address,
      long timeoutMs) {

    boolean matches(Map<String, String> request) {
      return headers.entrySet().stream()
          .allMatch(header -> header.getValue().equals(request.get(header.getKey())));
    }
  }

  /** Envoy's route timeout when a route sets none. */
  private static final long ENVOY_DEFAULT_TIMEOUT_MS = 15_000;

  private volatile List<BootstrapRoute> bootstrapRoutes = List.of();

  /**
   * Routes by {@code bootstrap}'s virtual host instead of {@link #route}, as Envoy would: the first
   * route whose exact header matches all hold takes the request to its cluster's endpoint, less the
   * headers the route removes, and when its timeout passes before the upstream's headers arrive the
   * client gets Envoy's 504 {@code upstream request timeout} (Envoy's timeout also covers the body,
   * which this does not time). A route that answers directly (the bootstrap's last) stands for no
   * match.
   */
  public EnvoyLikeProxy routes(Bootstrap bootstrap) throws InvalidProtocolBufferException {
    Map<String, SocketAddress> clusters = new LinkedHashMap<>();
    for (Cluster cluster : bootstrap.getStaticResources().getClustersList()) {
      var socket =
          cluster
              .getLoadAssignment()
              .getEndpoints(0)
              .getLbEndpoints(0)
              .getEndpoint()
              .getAddress()
              .getSocketAddress();
      clusters.put(
          cluster.getName(),
          SocketAddress.inetSocketAddress(socket.getPortValue(), socket.getAddress()));
    }
    List<BootstrapRoute> table = new ArrayList<>();
    for (Route route :
        EnvoyBootstrap.connectionManager(bootstrap)
            .getRouteConfig()
            .getVirtualHosts(0)
            .getRoutesList()) {
      if (route.hasDirectResponse()) {
        continue;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      route
          .getMatch()
          .getHeadersList()
          .forEach(h -> headers.put(h.getName(), h.getStringMatch().getExact()));
      long timeout =
          route.getRoute().hasTimeout()
              ? Durations.toMillis(route.getRoute().getTimeout())
              : ENVOY_DEFAULT_TIMEOUT_MS;
      table.add(
          new BootstrapRoute(
              headers,
              List.copyOf(route.getRequestHeadersToRemoveList()),
              clusters.get(route.getRoute().getCluster()),
              timeout));
    }
    bootstrapRoutes = List.copyOf(table);
    return this;
  }

  /**
   * The dynamic metadata a filter in front sets for each request (as a JWT filter would), and the
   * namespaces of it the ext_proc filter forwards ({@code metadata_options.forwarding_namespaces}):
   * Envoy sends the processor those alone, as {@code metadata_context}.
   */
  public EnvoyLikeProxy forwarding(
      Set<String> namespaces, Function<HttpServerRequest, Map<String, Struct>> filter) {
    this.forwarded = Set.copyOf(namespaces);
    this.filterInFront = filter;
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

    /** The response headers, held in buffered mode until the body's answer may change them. */
    Map<String, String> responseHeaders;

    /** What the processor is sent of the request's dynamic metadata, on every message. */
    Metadata context = Metadata.getDefaultInstance();

    Future<ProcessingResponse> send(ProcessingRequest message) {
      return stream.send(
          context.getFilterMetadataCount() == 0
              ? message
              : message.toBuilder().setMetadataContext(context).build());
    }

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
    // Envoy knows from the framing that no body follows, and says so on the headers
    Metadata.Builder context = Metadata.newBuilder();
    filterInFront
        .apply(request)
        .forEach(
            (namespace, fields) -> {
              if (forwarded.contains(namespace)) {
                context.putFilterMetadata(namespace, fields);
              }
            });
    ex.context = context.build();
    boolean noBody =
        request.method() == HttpMethod.GET
            || request.method() == HttpMethod.HEAD
            || "0".equals(request.getHeader("content-length"));
    ExtProcClientStream.open(grpc, extProc)
        .compose(
            stream -> {
              ex.stream = stream;
              return ex.send(headersMessage(ex.headers, noBody, true));
            })
        .compose(
            reply -> {
              merge(ex, reply);
              if (reply.hasImmediateResponse()) {
                return immediate(ex, reply.getImmediateResponse());
              }
              expect(reply, ProcessingResponse.ResponseCase.REQUEST_HEADERS);
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
    return ex.send(message)
        .compose(
            reply -> {
              merge(ex, reply);
              if (reply.hasImmediateResponse()) {
                return immediate(ex, reply.getImmediateResponse());
              }
              expect(reply, ProcessingResponse.ResponseCase.REQUEST_BODY);
              Buffer replaced = apply(ex, reply.getRequestBody().getResponse(), ex.headers);
              if (replaced != null) {
                ex.body = replaced;
                checkContentLength(ex.headers, replaced);
              }
              return forward(ex);
            });
  }

  /**
   * Envoy refuses an answer of another kind than the message it answers (with the filter failing
   * closed, as aigw's is): the request fails instead of going on unprocessed.
   */
  private static void expect(ProcessingResponse reply, ProcessingResponse.ResponseCase expected) {
    if (reply.getResponseCase() != expected) {
      throw new IllegalStateException(
          "the ExtProc answered " + reply.getResponseCase() + " to " + expected);
    }
  }

  /**
   * Envoy checks a body the processor replaced against the content-length it left in the headers
   * (it recomputes none): a mismatch fails the request.
   */
  private static void checkContentLength(Map<String, String> headers, Buffer body) {
    String length = headers.get("content-length");
    if (length != null && Long.parseLong(length.trim()) != body.length()) {
      throw new IllegalStateException(
          "mismatch between content length "
              + length
              + " and the length of the mutated body "
              + body.length());
    }
  }

  /**
   * Headers Envoy's default mutation rules keep from the processor: it ignores sets and removals of
   * {@code host}, {@code :authority}, {@code :method}, {@code :scheme} and {@code x-envoy-*} (a
   * {@code :path} set is allowed), and removals of any pseudo-header.
   */
  private static boolean mutable(String name, boolean removal) {
    if (name.equals("host")
        || name.equals(":authority")
        || name.equals(":method")
        || name.equals(":scheme")
        || name.startsWith("x-envoy-")) {
      return false;
    }
    return !(removal && name.startsWith(":"));
  }

  /**
   * Applies a common response: header mutation to {@code headers} (removals first, as Envoy does;
   * values from {@code raw_value}, the only field Envoy reads), and returns the replaced body.
   */
  private static Buffer apply(Exchange ex, CommonResponse common, Map<String, String> headers) {
    HeaderMutation mutation = common.getHeaderMutation();
    for (String removed : mutation.getRemoveHeadersList()) {
      String name = removed.toLowerCase(Locale.ROOT);
      if (mutable(name, true)) {
        headers.remove(name);
      }
    }
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      HeaderValue header = option.getHeader();
      if (!header.getValue().isEmpty() && !header.getRawValue().isEmpty()) {
        throw new IllegalStateException(
            "header " + header.getKey() + " sets both value and raw_value, which Envoy refuses");
      }
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (mutable(name, false)) {
        headers.put(name, header.getRawValue().toStringUtf8());
      }
    }
    // Envoy clears the route cache only along with a header mutation
    if (common.getClearRouteCache() && common.hasHeaderMutation()) {
      ex.clearRouteCache = true;
    }
    if (common.getBodyMutation().hasBody()) {
      return Buffer.buffer(common.getBodyMutation().getBody().toByteArray());
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
    long timeoutMs = 0;
    if (backend != null && !bootstrapRoutes.isEmpty()) {
      Optional<BootstrapRoute> route =
          bootstrapRoutes.stream().filter(r -> r.matches(ex.headers)).findFirst();
      address = route.map(BootstrapRoute::address).orElse(null);
      timeoutMs = route.map(BootstrapRoute::timeoutMs).orElse(0L);
      // the route's own header removals, once it is chosen, as Envoy's router applies them
      route.ifPresent(r -> r.headersToRemove().forEach(ex.headers::remove));
    }
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
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    AtomicBoolean timedOut = new AtomicBoolean();
    Future<HttpClientResponse> response =
        upstream
            .request(options)
            .compose(
                req -> {
                  if (timedOut.get()) {
                    // the timeout passed while connecting: the request is never sent
                    req.reset();
                    return Future.failedFuture(new TimeoutException("timed out connecting"));
                  }
                  sent.set(req);
                  return req.send(ex.body);
                });
    if (timeoutMs == 0) {
      return response.compose(r -> respond(ex, backend, r));
    }
    return response
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(
            r -> respond(ex, backend, r),
            failure -> {
              if (!(failure instanceof TimeoutException)) {
                return Future.failedFuture(failure);
              }
              timedOut.set(true);
              Optional.ofNullable(sent.get()).ifPresent(HttpClientRequest::reset);
              record(ex, Optional.of(backend), 504);
              return ex.client.response().setStatusCode(504).end("upstream request timeout");
            });
  }

  private Future<Void> respond(Exchange ex, String backend, HttpClientResponse upstreamResponse) {
    upstreamResponse.pause();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":status", Integer.toString(upstreamResponse.statusCode()));
    upstreamResponse
        .headers()
        .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    int status = upstreamResponse.statusCode();
    // a response Envoy knows to be empty ends with its headers: no body message follows
    boolean noBody = status == 204 || status == 304 || "0".equals(headers.get("content-length"));
    ex.responseHeaders = headers;
    return ex.send(headersMessage(headers, noBody, false))
        .compose(
            reply -> {
              merge(ex, reply);
              expect(reply, ProcessingResponse.ResponseCase.RESPONSE_HEADERS);
              apply(ex, reply.getResponseHeaders().getResponse(), headers);
              ex.streamed =
                  reply.hasModeOverride()
                      && reply.getModeOverride().getResponseBodyMode()
                          == ProcessingMode.BodySendMode.STREAMED;
              HttpServerResponse client = ex.client.response().setStatusCode(status);
              if (noBody) {
                upstreamResponse.resume();
                writeHeaders(client, headers);
                record(ex, Optional.of(backend), status);
                return client.end();
              }
              if (ex.streamed) {
                writeHeaders(client, headers);
                return streamBody(ex, backend, upstreamResponse, client);
              }
              return bufferBody(ex, backend, upstreamResponse, client);
            });
  }

  private static void writeHeaders(HttpServerResponse client, Map<String, String> headers) {
    headers.forEach(
        (k, v) -> {
          if (!k.startsWith(":") && !HOP_BY_HOP.contains(k)) client.putHeader(k, v);
        });
  }

  /** Buffered: the headers wait for the body's answer, whose header mutation applies to them. */
  private Future<Void> bufferBody(
      Exchange ex, String backend, HttpClientResponse upstreamResponse, HttpServerResponse client) {
    upstreamResponse.resume();
    return upstreamResponse
        .body()
        .compose(
            body ->
                ex.send(bodyMessage(body, true))
                    .compose(
                        reply -> {
                          merge(ex, reply);
                          expect(reply, ProcessingResponse.ResponseCase.RESPONSE_BODY);
                          Buffer replaced =
                              apply(ex, reply.getResponseBody().getResponse(), ex.responseHeaders);
                          if (replaced != null) {
                            checkContentLength(ex.responseHeaders, replaced);
                          }
                          writeHeaders(client, ex.responseHeaders);
                          record(ex, Optional.of(backend), client.getStatusCode());
                          return client.end(replaced != null ? replaced : body);
                        }));
  }

  /**
   * Streamed: each chunk goes to the processor as it arrives, the last one carrying the end of the
   * stream (as Envoy sends it when the last data and the end come together).
   */
  private Future<Void> streamBody(
      Exchange ex, String backend, HttpClientResponse upstreamResponse, HttpServerResponse client) {
    client.setChunked(true);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Future<Void>[] chain = new Future[] {Future.succeededFuture()};
    Buffer[] held = new Buffer[1];
    upstreamResponse.handler(
        chunk -> {
          Buffer previous = held[0];
          held[0] = chunk;
          if (previous != null) {
            chain[0] =
                chain[0]
                    .compose(v -> ex.send(bodyMessage(previous, false)))
                    .compose(reply -> write(ex, client, previous, reply));
          }
        });
    upstreamResponse.endHandler(
        v -> {
          Buffer last = held[0] == null ? Buffer.buffer() : held[0];
          chain[0]
              .compose(x -> ex.send(bodyMessage(last, true)))
              .compose(reply -> write(ex, client, last, reply))
              .compose(
                  x -> {
                    record(ex, Optional.of(backend), client.getStatusCode());
                    return client.end();
                  })
              .onComplete(done);
        });
    upstreamResponse.exceptionHandler(done::tryFail);
    upstreamResponse.resume();
    return done.future();
  }

  private Future<Void> write(
      Exchange ex, HttpServerResponse client, Buffer chunk, ProcessingResponse reply) {
    merge(ex, reply);
    expect(reply, ProcessingResponse.ResponseCase.RESPONSE_BODY);
    Buffer replaced = apply(ex, reply.getResponseBody().getResponse(), new LinkedHashMap<>());
    if (replaced != null
        && !replaced.equals(chunk)
        && ex.responseHeaders.containsKey("content-length")) {
      // the client was promised the upstream's length, which a rewritten stream no longer has
      throw new IllegalStateException(
          "a streamed body was rewritten under the upstream's content-length");
    }
    Buffer out = replaced != null ? replaced : chunk;
    return out.length() == 0 ? Future.succeededFuture() : client.write(out);
  }

  /**
   * Envoy keeps the processor's dynamic metadata of every answer, in the namespaces it receives,
   * merged key by key within a namespace.
   */
  private static void merge(Exchange ex, ProcessingResponse reply) {
    reply
        .getDynamicMetadata()
        .getFieldsMap()
        .forEach(
            (namespace, value) -> {
              if (!RECEIVING_NAMESPACE.equals(namespace) || !value.hasStructValue()) {
                return;
              }
              Struct.Builder merged =
                  ex
                      .metadata
                      .getFieldsOrDefault(namespace, Value.getDefaultInstance())
                      .getStructValue()
                      .toBuilder()
                      .putAllFields(value.getStructValue().getFieldsMap());
              ex.metadata.putFields(namespace, Value.newBuilder().setStructValue(merged).build());
            });
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
