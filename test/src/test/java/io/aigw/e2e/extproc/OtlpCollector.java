package io.aigw.e2e.extproc;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenTelemetry collector on loopback that takes OTLP/HTTP protobuf exports of spans, as a
 * collector's {@code otlphttp} receiver does, and keeps them, with the raw bytes it received.
 */
final class OtlpCollector {

  /** A span as exported, its ids in hex. */
  record Exported(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Span.SpanKind kind,
      Map<String, Object> attributes,
      io.opentelemetry.proto.trace.v1.Status status,
      String serviceName) {}

  private final Vertx vertx;
  final List<Exported> spans = new CopyOnWriteArrayList<>();
  final List<byte[]> payloads = new CopyOnWriteArrayList<>();
  private HttpServer server;

  OtlpCollector(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<OtlpCollector> start() {
    return vertx
        .createHttpServer()
        .requestHandler(
            request ->
                request
                    .body()
                    .onSuccess(
                        body -> {
                          if (!request.path().equals("/v1/traces")) {
                            request.response().setStatusCode(404).end();
                            return;
                          }
                          try {
                            keep(body);
                          } catch (Exception e) {
                            request.response().setStatusCode(400).end(e.toString());
                            return;
                          }
                          request
                              .response()
                              .putHeader("content-type", "application/x-protobuf")
                              .end(
                                  Buffer.buffer(
                                      ExportTraceServiceResponse.getDefaultInstance()
                                          .toByteArray()));
                        }))
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              server = s;
              return this;
            });
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void keep(Buffer body) throws Exception {
    byte[] bytes = body.getBytes();
    payloads.add(bytes);
    ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(bytes);
    for (ResourceSpans resource : export.getResourceSpansList()) {
      String service = String.valueOf(attributes(resource.getResource()).get("service.name"));
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          spans.add(
              new Exported(
                  hex(span.getTraceId()),
                  hex(span.getSpanId()),
                  hex(span.getParentSpanId()),
                  span.getName(),
                  span.getKind(),
                  attributes(span.getAttributesList()),
                  span.getStatus(),
                  service));
        }
      }
    }
  }

  private static Map<String, Object> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, Object> attributes(List<KeyValue> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : values) {
      AnyValue v = kv.getValue();
      out.put(
          kv.getKey(),
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            default -> v.toString();
          });
    }
    return out;
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
