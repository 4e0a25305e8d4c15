package io.aigw.extproc.server;

import io.aigw.extproc.processor.ProcessorEnvironment;
import io.aigw.extproc.processor.RoutingTable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One event loop's share of the ExtProc listener: an HTTP/2 cleartext server carrying the
 * ExternalProcessor and Health services. {@link ExtProcServer} deploys one instance per event loop
 * on the same port (Vert.x spreads connections over them); all share one routing table.
 */
public final class ExtProcVerticle extends VerticleBase {

  /**
   * Streams (HTTP requests in flight) one connection may carry, the HTTP/2 recommended minimum:
   * Envoy's connection pool opens another connection at the limit. A higher limit lets a backlog
   * grow into thousands of streams, and Netty walks every active stream on each connection-level
   * window update and writability change, so a server that fell behind would slow down further.
   */
  static final int MAX_CONCURRENT_STREAMS = 100;

  /**
   * How long a stopping ExtProc lets the streams it serves finish: a pod being replaced still holds
   * completions that are streaming to clients, and Envoy fails a request whose ExtProc stream
   * breaks. Within Kubernetes' default 30 s grace period.
   */
  public static final long SHUTDOWN_GRACE_SECONDS = 25;

  private final String host;
  private final int port;
  private final long maxMessageBytes;
  private final Supplier<RoutingTable> table;
  private final ProcessorEnvironment env;
  private final BooleanSupplier serving;
  private final Duration shutdownGrace;
  private ExtProcService service;
  private HttpServer server;

  public ExtProcVerticle(
      ExtProcServer.Options options,
      int port,
      Supplier<RoutingTable> table,
      ProcessorEnvironment env,
      BooleanSupplier serving) {
    this.host = options.host();
    this.port = port;
    this.maxMessageBytes = options.maxMessageBytes();
    this.table = table;
    this.env = env;
    this.serving = serving;
    this.shutdownGrace = options.shutdownGrace();
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc =
        GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
    service = new ExtProcService(table, env);
    service.bind(grpc);
    new HealthService(serving).bind(grpc);
    return vertx
        .createHttpServer(listenerOptions(host, port))
        .requestHandler(grpc)
        .listen()
        .onSuccess(listening -> server = listening);
  }

  /**
   * The HTTP/2 cleartext listener the ExtProc serves on. Public so that the benchmark's
   * fixed-answer floor server listens exactly as the ExtProc does.
   */
  public static HttpServerOptions listenerOptions(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setHttp2ClearTextEnabled(true)
        .setTcpNoDelay(true)
        .setHttp2ConnectionWindowSize(16 * 1024 * 1024)
        .setInitialSettings(
            new Http2Settings()
                .setInitialWindowSize(4 * 1024 * 1024)
                .setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .setMaxFrameSize(1024 * 1024));
  }

  /**
   * Stops accepting, tells each client to go elsewhere (HTTP/2 GOAWAY) and waits for its streams to
   * end, for the shutdown grace ({@link #SHUTDOWN_GRACE_SECONDS} unless set) at most.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    service.draining();
    return server.shutdown(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The streams that were open when the grace ran out, or were reset during the drain. */
  int streamsCut() {
    return service == null ? 0 : service.streamsCut();
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
