package io.aigw.extproc.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * One OTLP exporter's gRPC calls: unary calls over HTTP/2 (h2c with prior knowledge for {@code
 * http://}, TLS with ALPN {@code h2} for {@code https://}, with the SDK's trusted CAs and client
 * certificate: {@link SdkSslEngineOptions}), on a Vert.x instance of its own with one daemon event
 * loop, so an export never runs on, or waits for, the loops that serve requests. The SDK's exporter
 * marshals the spans and reads the status; this frames the message, sends the headers, reads the
 * status from the trailers (or from the headers of a trailers-only answer), and retries under the
 * exporter's retry policy within the exporter's timeout, as the SDK's own senders do.
 */
final class VertxGrpcSender implements GrpcSender {

  private static final int FRAME_HEADER = 5;

  /** The statuses the SDK's senders try again (the OTLP specification's transient ones). */
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
  private final AtomicBoolean closed = new AtomicBoolean();
  // the calls waiting out a back-off, by timer: a timer the closing event loop drops never fires
  private final Map<Long, Call> pending = new ConcurrentHashMap<>();

  VertxGrpcSender(GrpcSenderConfig config) {
    this.config = config;
    URI endpoint = config.getEndpoint();
    boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : (tls ? 443 : 80);
    // daemon: an exporter nobody shut down must not keep the JVM alive
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true));
    try {
      this.client = vertx.createHttpClient(clientOptions(config, tls));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    // the method at the endpoint's root, as the SDK's senders call it, whatever path it names
    this.target =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(endpoint.getHost())
            .setPort(port)
            .setSsl(tls)
            .setURI("/" + config.getFullMethodName());
  }

  private static HttpClientOptions clientOptions(GrpcSenderConfig config, boolean tls) {
    long connect =
        config.getConnectTimeout() == null ? 10_000 : config.getConnectTimeout().toMillis();
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setSsl(tls)
            .setUseAlpn(tls)
            .setAlpnVersions(List.of(HttpVersion.HTTP_2))
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connect))
            // a connection nothing is read from for this long is closed, so a collector that
            // vanished without a reset does not hold every later export on a dead connection
            .setReadIdleTimeout(
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, idleSeconds(config))));
    if (tls && config.getSslContext() != null) {
      // the SDK builds one for every https exporter (the JDK's trust store when no CA is set),
      // holding the trusted CAs and, when set, the client certificate; without one Vert.x's own
      // TLS trusts the JDK's store alike
      options.setSslEngineOptions(new SdkSslEngineOptions(config.getSslContext()));
    }
    return options;
  }

  private static long idleSeconds(GrpcSenderConfig config) {
    long timeout = timeoutMillis(config);
    return timeout == 0 ? 60 : Math.max(timeout / 1000, 1) + 5;
  }

  /** The exporter's timeout, 0 for none (the SDK's {@code Long.MAX_VALUE} nanoseconds). */
  static long timeoutMillis(GrpcSenderConfig config) {
    if (config.getTimeout() == null) {
      return 0;
    }
    long nanos = config.getTimeout().toNanos();
    return nanos <= 0 || nanos == Long.MAX_VALUE ? 0 : Math.max(1, config.getTimeout().toMillis());
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
    if (config.getCompressor() != null) {
      request.putHeader("grpc-encoding", config.getCompressor().getEncoding());
    }
    Map<String, List<String>> headers =
        config.getHeadersSupplier() == null ? Map.of() : config.getHeadersSupplier().get();
    headers.forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
    long timeout = timeoutMillis(config);
    long deadline = timeout == 0 ? 0 : System.nanoTime() + timeout * 1_000_000;
    attempt(new Call(request, frame, deadline, onResponse, onError), 1);
  }

  /** One export: what is sent, by when, and whom to tell. */
  private record Call(
      RequestOptions request,
      Buffer frame,
      long deadlineNanos,
      Consumer<GrpcResponse> onResponse,
      Consumer<Throwable> onError) {

    /** Milliseconds left, at least 1; 0 when there is no deadline. */
    long remainingMillis() {
      return deadlineNanos == 0 ? 0 : Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }
  }

  private void attempt(Call call, int attempt) {
    if (closed.get()) {
      call.onError().accept(new IOException("the exporter is shut down"));
      return;
    }
    RequestOptions request = new RequestOptions(call.request());
    long remaining = call.remainingMillis();
    if (remaining > 0) {
      request.setTimeout(remaining).putHeader("grpc-timeout", grpcTimeout(remaining));
    }
    client
        .request(request)
        .compose(http -> http.send(call.frame()))
        .compose(response -> response.body().map(body -> answer(response, body)))
        .onComplete(answered -> settle(call, attempt, answered));
  }

  /**
   * Answers the exporter, or tries again after a back-off while the retry policy allows, the
   * failure is transient and the back-off ends before the deadline: the SDK leaves retrying to its
   * senders.
   */
  private void settle(Call call, int attempt, AsyncResult<GrpcResponse> answered) {
    RetryPolicy policy = config.getRetryPolicy();
    boolean passing =
        answered.failed()
            ? retryable(policy, answered.cause())
            : RETRYABLE.contains(answered.result().getStatusCode());
    if (policy != null && attempt < policy.getMaxAttempts() && passing && !closed.get()) {
      long backoff = backoffMillis(policy, attempt);
      if (call.deadlineNanos() == 0
          || System.nanoTime() + backoff * 1_000_000 < call.deadlineNanos()) {
        long timer =
            vertx.setTimer(
                backoff,
                fired -> {
                  if (pending.remove(fired) != null) {
                    attempt(call, attempt + 1);
                  }
                });
        pending.put(timer, call);
        return;
      }
    }
    if (answered.succeeded()) {
      call.onResponse().accept(answered.result());
    } else {
      call.onError().accept(answered.cause());
    }
  }

  /** Whether a transport failure is one the policy tries again, Vert.x's named as the JDK's. */
  static boolean retryable(RetryPolicy policy, Throwable failure) {
    if (policy == null) {
      return false;
    }
    IOException io;
    // Vert.x's request timeout is a TimeoutException
    if (failure instanceof TimeoutException) {
      io = new SocketTimeoutException(failure.getMessage());
    } else if (failure instanceof HttpClosedException || failure instanceof StreamResetException) {
      io = new SocketException(failure.getMessage());
    } else if (failure instanceof IOException e) {
      io = e;
    } else {
      return false;
    }
    var predicate = policy.getRetryExceptionPredicate();
    return predicate != null ? predicate.test(io) : transientByDefault(io);
  }

  /** The SDK's senders' default: timeouts and connections refused, lost or unresolvable. */
  private static boolean transientByDefault(IOException e) {
    return e instanceof SocketTimeoutException
        || e instanceof ConnectException
        || e instanceof UnknownHostException
        || (e instanceof SocketException && !(e instanceof SSLException));
  }

  /** The policy's back-off before attempt {@code attempt + 1}, jittered ±20% as the SDK's. */
  static long backoffMillis(RetryPolicy policy, int attempt) {
    double backoff =
        policy.getInitialBackoff().toMillis()
            * Math.pow(policy.getBackoffMultiplier(), attempt - 1);
    double capped = Math.min(backoff, policy.getMaxBackoff().toMillis());
    return Math.max(1, (long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
  }

  /** gRPC's {@code grpc-timeout}: at most eight digits, in the finest unit they reach. */
  static String grpcTimeout(long millis) {
    if (millis < 100_000_000L) {
      return millis + "m";
    }
    long seconds = millis / 1000;
    if (seconds < 100_000_000L) {
      return seconds + "S";
    }
    long minutes = seconds / 60;
    return minutes < 100_000_000L ? minutes + "M" : Math.min(minutes / 60, 99_999_999L) + "H";
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
            : percentDecoded(message);
    byte[] payload =
        body.length() >= FRAME_HEADER ? body.getBytes(FRAME_HEADER, body.length()) : new byte[0];
    return new Answer(code, description, payload);
  }

  /**
   * {@code grpc-message} decoded as gRPC says: each {@code %XX} is a byte, anything else stays as
   * it is, and decoding never fails.
   */
  static String percentDecoded(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (c == '%' && high >= 0 && low >= 0) {
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
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
      case 400 -> GrpcStatusCode.INTERNAL;
      case 401 -> GrpcStatusCode.UNAUTHENTICATED;
      case 403 -> GrpcStatusCode.PERMISSION_DENIED;
      case 404 -> GrpcStatusCode.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
      default -> GrpcStatusCode.UNKNOWN;
    };
  }

  /** Closes the client and the Vert.x instance; a call waiting to be retried fails at once. */
  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode done = new CompletableResultCode();
    if (!closed.compareAndSet(false, true)) {
      return done.succeed();
    }
    for (Long timer : List.copyOf(pending.keySet())) {
      Call call = pending.remove(timer);
      if (call != null) {
        vertx.cancelTimer(timer);
        call.onError().accept(new IOException("the exporter shut down before trying again"));
      }
    }
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
