package io.aigw.extproc.tracing;

import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;

/**
 * How the OpenTelemetry SDK's OTLP exporter sends spans when {@code OTEL_EXPORTER_OTLP_PROTOCOL} is
 * {@code grpc}: over Vert.x's HTTP/2 client ({@link VertxGrpcSender}), found by the SDK through
 * {@code META-INF/services}. The SDK's own senders need OkHttp 5, whose Kotlin clashes with the
 * OkHttp 4 of the provider SDKs, or grpc-java and Netty a second time.
 */
public final class VertxGrpcSenderProvider implements GrpcSenderProvider {

  @Override
  public GrpcSender createSender(GrpcSenderConfig config) {
    return new VertxGrpcSender(config);
  }
}
