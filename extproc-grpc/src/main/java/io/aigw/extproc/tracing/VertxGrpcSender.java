package io.aigw.extproc.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One OTLP exporter's gRPC calls: unary calls over HTTP/2 (h2c with prior knowledge for {@code
 * http://}, TLS with ALPN for {@code https://}), on a Vert.x instance of its own with one event
 * loop, so an export never runs on, or waits for, the loops that serve requests. The SDK's exporter
 * marshals the spans and reads the status; this frames the message, sends the headers and reads the
 * status from the trailers, or from the headers of a trailers-only answer.
 */
final class VertxGrpcSender implements GrpcSender {

  private static final int FRAME_HEADER = 5;

  /** The statuses OTLP calls transient: the export is tried again. */
  private static final Set<GrpcStatusCode> RETRYABLE =
      EnumSet.of(
          GrpcStatusCode.CANCELLED,
          GrpcStatusCode.DEADLINE_EXCEEDED,
          GrpcStatusCode.RESOURCE_EXHAUSTED,
          GrpcStatusCode.ABORTED,
          GrpcStatusCode.OUT_OF_RANGE,
          GrpcStatusCode.UNAVAILABLE,
          GrpcStatusCode.DATA_LOSS);

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final GrpcSenderConfig config;
  private final RequestOptions target;

  VertxGrpcSender(GrpcSenderConfig config) {
    this.config = config;
    URI endpoint = config.getEndpoint();
    boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : (tls ? 443 : 80);
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setSsl(tls)
            .setUseAlpn(tls)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis(config)));
    if (tls && config.getTrustManager() != null) {
      options.setTrustOptions(TrustOptions.wrap(config.getTrustManager()));
    }
    this.client = vertx.createHttpClient(options);
    this.target =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(endpoint.getHost())
            .setPort(port)
            .setSsl(tls)
            .setURI(path(endpoint, config.getFullMethodName()));
  }

  private static long connectTimeoutMillis(GrpcSenderConfig config) {
    return config.getConnectTimeout() == null ? 10_000 : config.getConnectTimeout().toMillis();
  }

  /** The method's path under the endpoint's own path, as the SDK's senders put it. */
  static String path(URI endpoint, String fullMethodName) {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return base + "/" + fullMethodName;
  }

  @Override
  public void send(
      MessageWriter writer, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
    Buffer frame;
    try {
      frame = frame(writer, config.getCompressor());
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    RequestOptions request = new RequestOptions(target);
    request.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    long timeout = config.getTimeout() == null ? 0 : config.getTimeout().toMillis();
    if (timeout > 0) {
      request.setTimeout(timeout).putHeader("grpc-timeout", timeout + "m");
    }
    if (config.getCompressor() != null) {
      request.putHeader("grpc-encoding", config.getCompressor().getEncoding());
    }
    Map<String, List<String>> headers =
        config.getHeadersSupplier() == null ? Map.of() : config.getHeadersSupplier().get();
    headers.forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
    attempt(request, frame, 1, onResponse, onError);
  }

  /**
   * One call, and another after a back-off while the retry policy allows and the failure is one a
   * collector that restarts or sheds load gives: the SDK leaves retrying to its senders.
   */
  private void attempt(
      RequestOptions request,
      Buffer frame,
      int attempt,
      Consumer<GrpcResponse> onResponse,
      Consumer<Throwable> onError) {
    client
        .request(request)
        .compose(call -> call.send(frame))
        .compose(response -> response.body().map(body -> answer(response, body)))
        .onComplete(
            answered -> {
              RetryPolicy policy = config.getRetryPolicy();
              // a call that failed in transport (refused, reset, timed out) is worth another too
              boolean again =
                  policy != null
                      && attempt < policy.getMaxAttempts()
                      && (answered.failed()
                          || RETRYABLE.contains(answered.result().getStatusCode()));
              if (again) {
                vertx.setTimer(
                    backoffMillis(policy, attempt),
                    timer -> attempt(request, frame, attempt + 1, onResponse, onError));
              } else if (answered.succeeded()) {
                onResponse.accept(answered.result());
              } else {
                onError.accept(answered.cause());
              }
            });
  }

  /** The policy's back-off before attempt {@code attempt + 1}, jittered as the SDK's senders do. */
  static long backoffMillis(RetryPolicy policy, int attempt) {
    double backoff =
        policy.getInitialBackoff().toMillis()
            * Math.pow(policy.getBackoffMultiplier(), attempt - 1);
    long capped = (long) Math.min(backoff, policy.getMaxBackoff().toMillis());
    return Math.max(1, java.util.concurrent.ThreadLocalRandom.current().nextLong(capped + 1));
  }

  /** The message with gRPC's length prefix, compressed when the exporter asks. */
  static Buffer frame(MessageWriter writer, Compressor compressor) throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream(writer.getContentLength());
    if (compressor == null) {
      writer.writeMessage(message);
    } else {
      try (OutputStream compressed = compressor.compress(message)) {
        writer.writeMessage(compressed);
      }
    }
    byte[] bytes = message.toByteArray();
    return Buffer.buffer(FRAME_HEADER + bytes.length)
        .appendByte((byte) (compressor == null ? 0 : 1))
        .appendInt(bytes.length)
        .appendBytes(bytes);
  }

  /**
   * The call's outcome: {@code grpc-status} from the trailers, or from the headers of an answer
   * that has no body; without one, the status gRPC maps the HTTP status to.
   */
  static GrpcResponse answer(HttpClientResponse response, Buffer body) {
    MultiMap trailers = response.trailers();
    String status = trailers.get("grpc-status");
    String message = trailers.get("grpc-message");
    if (status == null) {
      status = response.headers().get("grpc-status");
      message = response.headers().get("grpc-message");
    }
    GrpcStatusCode code =
        status == null ? fromHttpStatus(response.statusCode()) : statusCode(status);
    String description =
        message == null
            ? (status == null ? "HTTP " + response.statusCode() : "")
            : URLDecoder.decode(message, StandardCharsets.UTF_8);
    byte[] payload =
        body.length() >= FRAME_HEADER ? body.getBytes(FRAME_HEADER, body.length()) : new byte[0];
    return new Answer(code, description, payload);
  }

  private static GrpcStatusCode statusCode(String value) {
    try {
      return GrpcStatusCode.fromValue(Integer.parseInt(value.strip()));
    } catch (RuntimeException e) {
      return GrpcStatusCode.UNKNOWN;
    }
  }

  /** gRPC's mapping of an HTTP status a proxy answered with, when no gRPC status came. */
  static GrpcStatusCode fromHttpStatus(int status) {
    return switch (status) {
      case 200 -> GrpcStatusCode.UNKNOWN;
      case 400 -> GrpcStatusCode.INTERNAL;
      case 401 -> GrpcStatusCode.UNAUTHENTICATED;
      case 403 -> GrpcStatusCode.PERMISSION_DENIED;
      case 404 -> GrpcStatusCode.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
      default -> GrpcStatusCode.UNKNOWN;
    };
  }

  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode done = new CompletableResultCode();
    client
        .close()
        .eventually(vertx::close)
        .onComplete(result -> done.succeed(), failure -> done.fail());
    return done;
  }

  private static final class Answer implements GrpcResponse {
    private final GrpcStatusCode code;
    private final String description;
    private final byte[] message;

    Answer(GrpcStatusCode code, String description, byte[] message) {
      this.code = code;
      this.description = description;
      this.message = message;
    }

    @Override
    public GrpcStatusCode getStatusCode() {
      return code;
    }

    @Override
    public String getStatusDescription() {
      return description;
    }

    @Override
    public byte[] getResponseMessage() {
      return message;
    }
  }
}
