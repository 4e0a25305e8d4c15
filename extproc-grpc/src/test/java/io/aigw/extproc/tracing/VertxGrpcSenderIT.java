package io.aigw.extproc.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestSpan;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans reach a collector over OTLP/gRPC, through the SDK's own OTLP exporter and {@link
 * VertxGrpcSender}: h2c and TLS, gzip, headers, and the gRPC status of a collector that refuses.
 */
class VertxGrpcSenderIT {

  private static final String EXPORT =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final Vertx vertx = Vertx.vertx();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Consumer<HttpServerRequest> accept = request -> answer(request, 0);

  /** What the collector was sent: the path, the headers and the request, decoded. */
  record Received(String path, MultiMap headers, ExportTraceServiceRequest export) {}

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private int collector(HttpServerOptions options, Consumer<HttpServerRequest> handler) {
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(handler::accept)
            .listen(0, "127.0.0.1")
            .await();
    return server.actualPort();
  }

  private void answer(HttpServerRequest request, int status) {
    request
        .body()
        .onSuccess(
            body -> {
              received.add(new Received(request.path(), request.headers(), decode(request, body)));
              byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
              request
                  .response()
                  .putHeader("content-type", "application/grpc")
                  .putTrailer("grpc-status", Integer.toString(status))
                  .putTrailer("grpc-message", status == 0 ? "" : "collector%20busy")
                  .end(
                      Buffer.buffer()
                          .appendByte((byte) 0)
                          .appendInt(answer.length)
                          .appendBytes(answer));
            });
  }

  private static ExportTraceServiceRequest decode(HttpServerRequest request, Buffer body) {
    try {
      byte[] message = body.getBytes(5, body.length());
      assertThat(body.getInt(1)).isEqualTo(message.length);
      if (body.getByte(0) == 1) {
        assertThat(request.getHeader("grpc-encoding")).isEqualTo("gzip");
        message = new GZIPInputStream(new ByteArrayInputStream(message)).readAllBytes();
      }
      return ExportTraceServiceRequest.parseFrom(message);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static io.opentelemetry.sdk.trace.data.SpanData span(String name) {
    return TestSpanData.builder()
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(1)
        .setEndEpochNanos(2)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .build();
  }

  private static boolean exported(OtlpGrpcSpanExporter exporter, String name) {
    return export(exporter, name).isSuccess();
  }

  private static CompletableResultCode export(OtlpGrpcSpanExporter exporter, String name) {
    return exporter.export(List.of(span(name))).join(10, TimeUnit.SECONDS);
  }

  /** The gRPC answer a failed export carried, or null when it failed in transport. */
  private static io.opentelemetry.sdk.common.export.GrpcResponse refusal(
      CompletableResultCode result) {
    assertThat(result.isSuccess()).isFalse();
    Throwable failure = result.getFailureThrowable();
    assertThat(failure).isInstanceOf(FailedExportException.GrpcExportException.class);
    FailedExportException.GrpcExportException grpc =
        (FailedExportException.GrpcExportException) failure;
    return grpc.failedWithResponse() ? grpc.getResponse() : null;
  }

  @Test
  void theGatewaysSpansReachACollectorOverGrpcWhenTheEnvironmentAsks() {
    int port = collector(new HttpServerOptions(), accept);
    Tracing tracing =
        Tracing.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port,
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=team-a",
                "OTEL_BSP_SCHEDULE_DELAY", "50"),
            HeaderAttributes.parse(HeaderAttributes.DEFAULT));
    try {
      RequestSpan span = tracing.tracer().start("chat", "gpt-4o-mini", Map.of(), Set.of());
      span.end(OpenTelemetryTracerTest.summary(200, OpenTelemetryTracerTest.usage(13, 7)));
      await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    } finally {
      tracing.close();
    }
    Received call = received.get(0);
    assertThat(call.path()).isEqualTo(EXPORT);
    assertThat(call.headers().get("content-type")).isEqualTo("application/grpc");
    assertThat(call.headers().get("te")).isEqualTo("trailers");
    assertThat(call.headers().get("x-tenant")).isEqualTo("team-a");
    var resourceSpans = call.export().getResourceSpans(0);
    assertThat(resourceSpans.getScopeSpans(0).getSpans(0).getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(resourceSpans.getResource().getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("service.name");
              assertThat(kv.getValue().getStringValue()).isEqualTo("ai-gateway");
            });
  }

  @Test
  void aGzipExportIsFramedAsCompressedAndACollectorsRefusalFailsTheExport() {
    int port = collector(new HttpServerOptions(), accept);
    try (OtlpGrpcSpanExporter gzip =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port)
            .setCompression("gzip")
            .build()) {
      assertThat(exported(gzip, "compressed")).isTrue();
    }
    assertThat(received.get(0).headers().get("grpc-encoding")).isEqualTo("gzip");
    assertThat(received.get(0).export().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("compressed");

    int busy = collector(new HttpServerOptions(), request -> answer(request, 14));
    try (OtlpGrpcSpanExporter refused =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + busy)
            .setRetryPolicy(null)
            .build()) {
      var answer = refusal(export(refused, "refused"));
      assertThat(answer.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
      assertThat(answer.getStatusDescription()).isEqualTo("collector busy");
    }
  }

  @Test
  void aCollectorThatShedsLoadIsTriedAgainUnderTheRetryPolicy() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    int port =
        collector(
            new HttpServerOptions(),
            request -> answer(request, calls.incrementAndGet() < 3 ? 14 : 0));
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port)
            .setRetryPolicy(
                io.opentelemetry.sdk.common.export.RetryPolicy.builder()
                    .setMaxAttempts(3)
                    .setInitialBackoff(Duration.ofMillis(10))
                    .setMaxBackoff(Duration.ofMillis(20))
                    .build())
            .build()) {
      assertThat(exported(exporter, "third time")).isTrue();
    }
    assertThat(calls).hasValue(3);
  }

  @Test
  void anExportWaitingToBeTriedAgainFailsAtOnceWhenTheExporterShutsDown() {
    int port = collector(new HttpServerOptions(), request -> answer(request, 14));
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port)
            .setRetryPolicy(
                io.opentelemetry.sdk.common.export.RetryPolicy.builder()
                    .setMaxAttempts(3)
                    .setInitialBackoff(Duration.ofSeconds(4))
                    .setMaxBackoff(Duration.ofSeconds(4))
                    .build())
            .build();
    CompletableResultCode result = exporter.export(List.of(span("pending")));
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    exporter.shutdown().join(5, TimeUnit.SECONDS);
    // answered by the shutdown, not after the 3 s or more of back-off left
    assertThat(result.join(1, TimeUnit.SECONDS).isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(received).hasSize(1);
  }

  @Test
  void anAnswerWithoutAGrpcStatusIsMappedFromItsHttpStatus() {
    int port =
        collector(
            new HttpServerOptions(),
            request -> request.response().setStatusCode(503).end("upstream connect error"));
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port)
            .setRetryPolicy(null)
            .build()) {
      var answer = refusal(export(exporter, "proxied"));
      assertThat(answer.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
      assertThat(answer.getStatusDescription()).isEqualTo("HTTP 503");
    }
    assertThat(VertxGrpcSender.fromHttpStatus(401)).isEqualTo(GrpcStatusCode.UNAUTHENTICATED);
  }

  @Test
  void aTrailersOnlyRefusalIsReadFromItsHeadersAndItsMessageDecodedLeniently() {
    int port =
        collector(
            new HttpServerOptions(),
            request ->
                request
                    .response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", "7")
                    .putHeader("grpc-message", "quota 100%25 used, 100% sure+")
                    .end());
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port).build()) {
      var answer = refusal(export(exporter, "denied"));
      assertThat(answer.getStatusCode()).isEqualTo(GrpcStatusCode.PERMISSION_DENIED);
      assertThat(answer.getStatusDescription()).isEqualTo("quota 100% used, 100% sure+");
    }
  }

  @Test
  void aCollectorThatNeverAnswersFailsTheExportWithinItsTimeout() {
    List<String> timeouts = new CopyOnWriteArrayList<>();
    int port =
        collector(
            new HttpServerOptions(), request -> timeouts.add(request.getHeader("grpc-timeout")));
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + port)
            .setTimeout(Duration.ofMillis(800))
            .build()) {
      long start = System.nanoTime();
      assertThat(exported(exporter, "hung")).isFalse();
      // the retries stay within the one deadline
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
    assertThat(timeouts).isNotEmpty().allSatisfy(t -> assertThat(t).matches("[0-9]{1,8}m"));
  }

  @Test
  void grpcTimeoutsKeepToEightDigits() {
    assertThat(VertxGrpcSender.grpcTimeout(10_000)).isEqualTo("10000m");
    assertThat(VertxGrpcSender.grpcTimeout(100_000_000L)).isEqualTo("100000S");
    assertThat(VertxGrpcSender.grpcTimeout(9_223_372_036_854L)).matches("[0-9]{1,8}[SMH]");
  }

  @Test
  void aCollectorOverTlsIsTrustedByTheConfiguredCertificate() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    int port =
        collector(
            new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(certificate.keyCertOptions()),
            accept);
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("https://localhost:" + port)
            .setTrustedCertificates(Files.readAllBytes(Path.of(certificate.certificatePath())))
            .build()) {
      assertThat(exported(exporter, "over tls")).isTrue();
    }
    assertThat(received).hasSize(1);

    // the system's CAs do not know the collector's certificate
    try (OtlpGrpcSpanExporter untrusting =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("https://localhost:" + port)
            .setRetryPolicy(null)
            .build()) {
      assertThat(refusal(export(untrusting, "refused"))).as("failed in transport").isNull();
    }
    // nor does a certificate for another name, trusted or not
    try (OtlpGrpcSpanExporter otherName =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("https://127.0.0.1:" + port)
            .setTrustedCertificates(Files.readAllBytes(Path.of(certificate.certificatePath())))
            .build()) {
      assertThat(refusal(export(otherName, "refused"))).as("failed in transport").isNull();
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void aCollectorThatAsksForAClientCertificateGetsTheConfiguredOne() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.create("localhost");
    SelfSignedCertificate client = SelfSignedCertificate.create("aigw-extproc");
    int port =
        collector(
            new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(server.keyCertOptions())
                .setTrustOptions(client.trustOptions())
                .setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED),
            accept);
    byte[] serverCa = Files.readAllBytes(Path.of(server.certificatePath()));
    try (OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("https://localhost:" + port)
            .setTrustedCertificates(serverCa)
            .setClientTls(
                Files.readAllBytes(Path.of(client.privateKeyPath())),
                Files.readAllBytes(Path.of(client.certificatePath())))
            .build()) {
      assertThat(exported(exporter, "with a client certificate")).isTrue();
    }
    assertThat(received).hasSize(1);

    // without one the collector refuses the connection
    try (OtlpGrpcSpanExporter anonymous =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("https://localhost:" + port)
            .setTrustedCertificates(serverCa)
            .setRetryPolicy(null)
            .build()) {
      assertThat(refusal(export(anonymous, "refused"))).as("failed in transport").isNull();
    }
    assertThat(received).hasSize(1);
  }
}
