package io.aigw.extproc.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestTracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the ExtProc traces, from the standard variables, as upstream decides it. */
class TracingTest {

  private static final HeaderAttributes HEADERS = HeaderAttributes.parse(HeaderAttributes.DEFAULT);

  private static Tracing tracing(Map<String, String> environment) {
    return Tracing.fromEnvironment(environment, HEADERS);
  }

  @Test
  void aGatewayNobodySetUpForTracingTracesNothing() {
    Tracing tracing = tracing(Map.of("OTEL_SERVICE_NAME", "gateway"));

    assertThat(tracing.tracer()).isSameAs(RequestTracer.OFF);
    assertThat(tracing.description()).isEqualTo("off");
  }

  @Test
  void anOtlpEndpointTurnsTracingOnOverHttpProtobufAsUpstreamDefaultsTo() {
    try (Tracing tracing =
        tracing(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.observability:4318"))) {
      assertThat(tracing.tracer()).isInstanceOf(OpenTelemetryTracer.class);
      assertThat(tracing.description())
          .isEqualTo("spans to otlp (http/protobuf) at http://collector.observability:4318");
    }
  }

  @Test
  void theTracesOwnEndpointWins() {
    try (Tracing tracing =
        tracing(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/v1/traces"))) {
      assertThat(tracing.description())
          .isEqualTo("spans to otlp (http/protobuf) at http://traces:4318/v1/traces");
    }
  }

  @Test
  void otlpOverGrpcIsExportedAndAnotherProtocolRefusedWithWhatToDoInstead() {
    for (String variable :
        new String[] {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"}) {
      try (Tracing grpc =
          tracing(
              Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317", variable, "grpc"))) {
        assertThat(grpc.description()).isEqualTo("spans to otlp (grpc) at http://collector:4317");
      }
      assertThatThrownBy(
              () ->
                  tracing(
                      Map.of(
                          "OTEL_EXPORTER_OTLP_ENDPOINT",
                          "http://collector:4318",
                          variable,
                          "http/json")))
          .as(variable)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "tracing: OTLP over http/json is not available: aigw exports spans over"
                  + " http/protobuf (a collector's port 4318) or grpc (port 4317); set "
                  + variable
                  + " to one of them");
    }
    try (Tracing defaulted =
        tracing(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))) {
      assertThat(defaulted.description())
          .isEqualTo("spans to otlp (grpc) at http://localhost:4317 (the SDK's default)");
    }
  }

  @Test
  void theSemanticConventionsAreUpstreamsTwoAndAnotherIsRefusedNamingIt() {
    try (Tracing openInference =
        tracing(
            Map.of(
                "OTEL_TRACES_EXPORTER",
                "console",
                "AI_GATEWAY_TRACING_SEMCONV",
                "openinference"))) {
      assertThat(openInference.description())
          .isEqualTo("spans to console, named as OpenInference names them");
    }
    assertThatThrownBy(
            () ->
                tracing(
                    Map.of(
                        "OTEL_TRACES_EXPORTER", "console", "AI_GATEWAY_TRACING_SEMCONV", "otel")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tracing: AI_GATEWAY_TRACING_SEMCONV=otel is neither gen_ai nor openinference");
  }

  @Test
  void disabledOrNoneTracesNothingWhateverTheEndpoint() {
    assertThat(
            tracing(
                    Map.of(
                        "OTEL_SDK_DISABLED", "true",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                .tracer())
        .isSameAs(RequestTracer.OFF);
    assertThat(
            tracing(
                    Map.of(
                        "OTEL_TRACES_EXPORTER", "none",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                .tracer())
        .isSameAs(RequestTracer.OFF);
  }

  @Test
  void noneInAnyCaseOrListTracesNothing() {
    for (String none : new String[] {"NONE", "none,console", " None "}) {
      assertThat(
              tracing(
                      Map.of(
                          "OTEL_TRACES_EXPORTER",
                          none,
                          "OTEL_EXPORTER_OTLP_ENDPOINT",
                          "http://collector:4318"))
                  .tracer())
          .as(none)
          .isSameAs(RequestTracer.OFF);
    }
  }

  @Test
  void otlpWithoutAnEndpointSaysWhereTheSdkSends() {
    try (Tracing tracing = tracing(Map.of("OTEL_TRACES_EXPORTER", "otlp"))) {
      assertThat(tracing.description())
          .isEqualTo(
              "spans to otlp (http/protobuf) at http://localhost:4318/v1/traces (the SDK's"
                  + " default)");
    }
  }

  @Test
  void anExporterHeaderTheSdkCannotReadIsNamedNeverQuoted() {
    assertThatThrownBy(
            () ->
                tracing(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                        "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%zzsk-abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("the value of OTEL_EXPORTER_OTLP_HEADERS")
        .hasMessageNotContaining("sk-abc")
        .hasMessageNotContaining("%zz");
  }

  @Test
  void theConsolesSpansArePrintedInBatchesOffTheThreadThatEndsThem() throws Exception {
    java.util.logging.Logger printer =
        java.util.logging.Logger.getLogger(
            io.opentelemetry.exporter.logging.LoggingSpanExporter.class.getName());
    List<java.util.logging.LogRecord> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            printed.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    printer.addHandler(handler);
    // the tests' logging configuration keeps only warnings
    java.util.logging.Level level = printer.getLevel();
    printer.setLevel(java.util.logging.Level.INFO);
    try (Tracing tracing =
        tracing(Map.of("OTEL_TRACES_EXPORTER", "console", "OTEL_BSP_SCHEDULE_DELAY", "10"))) {
      tracing
          .tracer()
          .start("chat", "gpt-4o-mini", Map.of(), java.util.Set.of())
          .end(
              new io.aigw.extproc.processor.ExchangeSummary(
                  "default/chat",
                  "default/openai",
                  "openai",
                  "chat",
                  "gpt-4o-mini",
                  "gpt-4o-mini",
                  "",
                  200,
                  io.aigw.extproc.usage.TokenUsage.NONE,
                  false,
                  java.util.OptionalLong.empty(),
                  java.util.OptionalLong.empty(),
                  0,
                  io.aigw.extproc.processor.RequestHeaders.NONE));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> !printed.isEmpty());
    } finally {
      printer.removeHandler(handler);
      printer.setLevel(level);
    }
    assertThat(printed.get(0).getMessage()).contains("chat gpt-4o-mini");
    assertThat(printed.get(0).getLongThreadID())
        .as("printed off the thread that ended the span")
        .isNotEqualTo(Thread.currentThread().getId());
  }

  @Test
  void theConsoleExporterNeedsNoEndpoint() {
    try (Tracing tracing = tracing(Map.of("OTEL_TRACES_EXPORTER", "console"))) {
      assertThat(tracing.tracer()).isInstanceOf(OpenTelemetryTracer.class);
      assertThat(tracing.description()).isEqualTo("spans to console");
    }
  }

  @Test
  void anExporterTheSdkDoesNotHaveIsAnErrorNamingIt() {
    assertThatThrownBy(() -> tracing(Map.of("OTEL_TRACES_EXPORTER", "jaeger-thrift")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tracing: ")
        .hasMessageContaining("jaeger-thrift");
  }

  @Test
  void theLogNeverShowsTheEndpointsPasswordOrQuery() {
    try (Tracing tracing =
        tracing(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:s3cret-pass@collector:4318/otlp"))) {
      assertThat(tracing.description())
          .isEqualTo("spans to otlp (http/protobuf) at https://collector:4318/otlp")
          .doesNotContain("s3cret");
    }
  }

  @Test
  void anEndpointTheSdkRefusesIsNamedNeverQuoted() {
    assertThatThrownBy(
            () -> tracing(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318/s3cret-token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tracing: OTLP endpoint must be a valid URL: the value of OTEL_EXPORTER_OTLP_ENDPOINT");
    // the SDK quotes only the query of this one
    assertThatThrownBy(
            () ->
                tracing(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                        "https://collector:4318/v1/traces?token=s3cret-token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tracing: OTLP endpoint must not have a query string: ")
        .hasMessageNotContaining("s3cret-token");
  }

  @Test
  void settingsUpstreamReadsForItsMetricsOrOtherPropagatorsDoNotStopTracing() {
    try (Tracing tracing =
        tracing(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_METRICS_EXPORTER", "prometheus",
                "OTEL_LOGS_EXPORTER", "otlp",
                "OTEL_PROPAGATORS", "b3multi,tracecontext,baggage"))) {
      assertThat(tracing.tracer()).isInstanceOf(OpenTelemetryTracer.class);
    }
  }

  @Test
  void theConsoleAndOtlpMayBeNamedTogether() {
    try (Tracing tracing =
        tracing(
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp,console",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))) {
      assertThat(tracing.description())
          .isEqualTo("spans to otlp (http/protobuf) at http://collector:4318, console");
    }
  }

  @Test
  void aSettingTheSdkCannotUseLeavesTracingOffAndSaysWhy() {
    List<String> problems = new ArrayList<>();
    Tracing tracing =
        Tracing.fromEnvironmentOrOff(
            Map.of("OTEL_TRACES_EXPORTER", "zipkin"), HEADERS, problems::add);

    assertThat(tracing).isSameAs(Tracing.OFF);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("tracing: ").contains("zipkin");
  }
}
