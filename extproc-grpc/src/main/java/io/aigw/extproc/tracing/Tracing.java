package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.RequestTracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ExtProc's tracing, configured as upstream's is, by the standard {@code OTEL_*} variables: off
 * when {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none}, and off when neither an
 * exporter nor an OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is named, so a gateway nobody set up for tracing pays
 * nothing for it. On, the OpenTelemetry SDK reads every other {@code OTEL_*} variable (sampler,
 * propagators, batch settings, headers, resource attributes). Two defaults differ from the Java
 * SDK's, to match upstream: OTLP speaks {@code http/protobuf} (the only protocol exported), and the
 * service is {@code ai-gateway}.
 */
public final class Tracing implements AutoCloseable {

  /**
   * The one OTLP protocol exported: the JDK's HTTP client sends it, where gRPC would need a gRPC or
   * OkHttp client in the image.
   */
  private static final String HTTP_PROTOBUF = "http/protobuf";

  /** Tracing off. */
  public static final Tracing OFF = new Tracing(RequestTracer.OFF, null, "off");

  private final RequestTracer tracer;
  private final OpenTelemetrySdk sdk;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Tracing(RequestTracer tracer, OpenTelemetrySdk sdk, String description) {
    this.tracer = tracer;
    this.sdk = sdk;
    this.description = description;
  }

  /**
   * Tracing as the {@code OTEL_*} entries of {@code environment} ask.
   *
   * @throws IllegalArgumentException when a variable has a value the SDK cannot use, naming it
   */
  public static Tracing fromEnvironment(
      Map<String, String> environment, SpanHeaderAttributes headerAttributes) {
    if ("true".equalsIgnoreCase(environment.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
      return OFF;
    }
    String exporter = environment.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
    boolean endpoint =
        !environment.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
            || !environment.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    if (exporter.equals("none") || (exporter.isEmpty() && !endpoint)) {
      return OFF;
    }
    Map<String, String> properties = properties(environment);
    String protocol = protocol(properties);
    if (!protocol.equals(HTTP_PROTOBUF)) {
      throw new IllegalArgumentException(
          "tracing: OTLP over "
              + protocol
              + " is not available: aigw exports spans over "
              + HTTP_PROTOBUF
              + " (a collector's port 4318); unset OTEL_EXPORTER_OTLP_PROTOCOL and"
              + " OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
    }
    OpenTelemetrySdk sdk;
    try {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException("tracing: " + e.getMessage(), e);
    }
    RequestTracer tracer =
        new OpenTelemetryTracer(
            sdk.getTracer("aigw"), sdk.getPropagators().getTextMapPropagator(), headerAttributes);
    return new Tracing(tracer, sdk, describe(properties));
  }

  /**
   * The {@code OTEL_*} variables as the SDK's properties ({@code OTEL_FOO_BAR} → {@code
   * otel.foo.bar}), over aigw's defaults; the SDK gives its own environment and system properties
   * precedence over these, which in a process are the same variables.
   */
  private static Map<String, String> properties(Map<String, String> environment) {
    Map<String, String> properties = new HashMap<>();
    // traces only: the ExtProc's metrics are on its admin port, its logs on standard output
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.otlp.protocol", HTTP_PROTOBUF);
    String resource = environment.getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "");
    if (!resource.contains("service.name=")) {
      properties.put("otel.service.name", "ai-gateway");
    }
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    return properties;
  }

  private static String describe(Map<String, String> properties) {
    String exporter = properties.getOrDefault("otel.traces.exporter", "otlp");
    if (!exporter.contains("otlp")) {
      return "spans to " + exporter;
    }
    String protocol = protocol(properties);
    String endpoint =
        properties.getOrDefault(
            "otel.exporter.otlp.traces.endpoint",
            properties.getOrDefault("otel.exporter.otlp.endpoint", "the default endpoint"));
    return "spans to " + exporter + " (" + protocol + ") at " + withoutUserInfo(endpoint);
  }

  private static String protocol(Map<String, String> properties) {
    return properties
        .getOrDefault(
            "otel.exporter.otlp.traces.protocol", properties.get("otel.exporter.otlp.protocol"))
        .strip();
  }

  /** An endpoint may name a user and password; the log gets neither. */
  private static String withoutUserInfo(String endpoint) {
    int scheme = endpoint.indexOf("://");
    int at = endpoint.indexOf('@');
    int path = endpoint.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    if (scheme < 0 || at < 0 || (path >= 0 && at > path)) {
      return endpoint;
    }
    return endpoint.substring(0, scheme + 3) + endpoint.substring(at + 1);
  }

  /** The tracer requests are traced by. */
  public RequestTracer tracer() {
    return tracer;
  }

  /** What is traced where, for the log. */
  public String description() {
    return description;
  }

  /** Exports the spans still queued (waiting up to 5 s for the collector) and stops; once. */
  @Override
  public void close() {
    if (sdk != null && closed.compareAndSet(false, true)) {
      sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
