package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestTracer;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The ExtProc's tracing, configured as upstream's is, by the standard {@code OTEL_*} variables: off
 * when {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none}, and off when neither an
 * exporter nor an OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is named, so a gateway nobody set up for tracing pays
 * nothing for it. On, the OpenTelemetry SDK reads every other {@code OTEL_*} variable (sampler,
 * propagators, batch settings, headers, resource attributes, {@code grpc} for OTLP over gRPC). Two
 * defaults differ from the Java SDK's, to match upstream: OTLP speaks {@code http/protobuf} unless
 * told {@code grpc}, and the service is {@code ai-gateway}. Spans are only ever exported in
 * batches, off the event loops, the console's too. Upstream's {@code AI_GATEWAY_TRACING_SEMCONV}
 * chooses their {@link SpanConventions}.
 */
public final class Tracing implements AutoCloseable {

  /** Upstream's default OTLP protocol, which the JDK's HTTP client sends. */
  private static final String HTTP_PROTOBUF = "http/protobuf";

  /** OTLP over gRPC, which Vert.x's HTTP/2 client sends ({@link VertxGrpcSender}). */
  private static final String GRPC = "grpc";

  /** Where spans are printed rather than sent (upstream's name, and the Java SDK's older one). */
  private static final List<String> CONSOLE = List.of("console", "logging");

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
   * Tracing as {@link #fromEnvironment} sets it up, or off when it cannot, told to {@code problem}:
   * a tracing setting never stops the gateway, whose requests matter more than their spans.
   */
  public static Tracing fromEnvironmentOrOff(
      Map<String, String> environment,
      HeaderAttributes headerAttributes,
      Consumer<String> problem) {
    try {
      return fromEnvironment(environment, headerAttributes);
    } catch (IllegalArgumentException e) {
      problem.accept(e.getMessage());
      return OFF;
    }
  }

  /**
   * Tracing as the {@code OTEL_*} entries of {@code environment} ask.
   *
   * @throws IllegalArgumentException when a variable has a value the SDK cannot use, naming it
   *     (never quoting an endpoint or exporter header, which may hold a token)
   */
  public static Tracing fromEnvironment(
      Map<String, String> environment, HeaderAttributes headerAttributes) {
    if ("true".equalsIgnoreCase(environment.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
      return OFF;
    }
    List<String> named = exporters(environment.getOrDefault("OTEL_TRACES_EXPORTER", ""));
    boolean endpoint =
        !environment.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
            || !environment.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    if (named.contains("none") || (named.isEmpty() && !endpoint)) {
      return OFF;
    }
    List<String> exporters = named.isEmpty() ? List.of("otlp") : named;
    Map<String, String> properties = properties(environment);
    if (exporters.contains("otlp")) {
      checkProtocol(properties);
    }
    SpanConventions conventions = SpanConventions.of(environment.get(SpanConventions.VARIABLE));
    OpenTelemetrySdk sdk = build(properties, exporters, environment);
    RequestTracer tracer =
        new OpenTelemetryTracer(
            sdk.getTracer("aigw"),
            sdk.getPropagators().getTextMapPropagator(),
            headerAttributes,
            conventions);
    String described = describe(properties, exporters);
    return new Tracing(
        tracer,
        sdk,
        conventions instanceof OpenInferenceConventions
            ? described + ", named as OpenInference names them"
            : described);
  }

  private static void checkProtocol(Map<String, String> properties) {
    String protocol = protocol(properties);
    if (!protocol.equals(HTTP_PROTOBUF) && !protocol.equals(GRPC)) {
      throw new IllegalArgumentException(
          "tracing: OTLP over "
              + protocol
              + " is not available: aigw exports spans over "
              + HTTP_PROTOBUF
              + " (a collector's port 4318) or "
              + GRPC
              + " (port 4317); set "
              + protocolVariable(properties)
              + " to one of them");
    }
  }

  /** The variable the protocol was read from: the traces' own wins over the general one. */
  private static String protocolVariable(Map<String, String> properties) {
    return properties.containsKey("otel.exporter.otlp.traces.protocol")
        ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
        : "OTEL_EXPORTER_OTLP_PROTOCOL";
  }

  private static List<String> exporters(String value) {
    List<String> names = new ArrayList<>();
    for (String name : value.split(",")) {
      if (!name.isBlank()) {
        names.add(name.strip().toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(names);
  }

  private static OpenTelemetrySdk build(
      Map<String, String> properties, List<String> exporters, Map<String, String> environment) {
    List<String> sdkExporters = new ArrayList<>(exporters);
    boolean console = sdkExporters.removeAll(CONSOLE);
    Map<String, String> forced = new HashMap<>();
    // traces only: the ExtProc's metrics are on its admin port, its logs on standard output
    forced.put("otel.metrics.exporter", "none");
    forced.put("otel.logs.exporter", "none");
    // the SDK prints to the console span by span, on the thread that ends the span: batched here
    forced.put(
        "otel.traces.exporter", sdkExporters.isEmpty() ? "none" : String.join(",", sdkExporters));
    // what was read from the environment given wins over the SDK's own reading of the process's
    Map<String, String> overrides = new HashMap<>(properties);
    overrides.putAll(forced);
    try {
      return AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesCustomizer(config -> overrides)
          .addTracerProviderCustomizer(
              (tracerProvider, config) ->
                  console
                      ? tracerProvider.addSpanProcessor(
                          BatchSpanProcessor.builder(LoggingSpanExporter.create())
                              .setScheduleDelay(
                                  config.getDuration(
                                      "otel.bsp.schedule.delay", Duration.ofSeconds(5)))
                              .build())
                      : tracerProvider)
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException("tracing: " + withoutSecrets(e.getMessage(), environment));
    }
  }

  /**
   * The SDK quotes a value it refuses, or a part of it (an endpoint's query, one header's value);
   * an endpoint or an exporter header may hold a token. When a message holds any part of one, what
   * follows its first colon is replaced by the variable's name.
   */
  private static String withoutSecrets(String message, Map<String, String> environment) {
    String text = message == null ? "the SDK refused the settings" : message;
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String name = variable.getKey();
      String value = variable.getValue();
      if (name.startsWith("OTEL_")
          && (name.contains("ENDPOINT") || name.contains("HEADERS"))
          && value != null
          && quotesAny(text, value)) {
        int colon = text.indexOf(": ");
        return (colon < 0 ? "" : text.substring(0, colon + 2)) + "the value of " + name;
      }
    }
    return text;
  }

  /** Whether {@code text} holds {@code value}, one of its {@code key=value} items, or a word. */
  private static boolean quotesAny(String text, String value) {
    List<String> parts = new ArrayList<>();
    parts.add(value.strip());
    for (String item : value.split("[,?&]")) {
      parts.add(item.strip());
      int equals = item.indexOf('=');
      parts.add(equals < 0 ? "" : item.substring(equals + 1).strip());
    }
    int at = value.lastIndexOf('@');
    parts.add(at < 0 ? "" : value.substring(0, at));
    for (String word : value.split("[,;&=?@/:#\\s]")) {
      parts.add(word.length() >= 6 ? word : "");
    }
    return parts.stream().anyMatch(part -> part.length() >= 3 && text.contains(part));
  }

  /**
   * The {@code OTEL_*} variables as the SDK's properties ({@code OTEL_FOO_BAR} → {@code
   * otel.foo.bar}), over aigw's defaults. They override what the SDK reads of the process's own
   * environment and system properties, which in a process are the same variables; only a variable
   * the given environment lacks is read there.
   */
  private static Map<String, String> properties(Map<String, String> environment) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.exporter.otlp.protocol", HTTP_PROTOBUF);
    // a client's header or model is bounded where aigw records it; this bounds the rest
    properties.put("otel.attribute.value.length.limit", "1024");
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

  private static String describe(Map<String, String> properties, List<String> exporters) {
    List<String> parts = new ArrayList<>();
    for (String exporter : exporters) {
      if (exporter.equals("otlp")) {
        String endpoint =
            properties.getOrDefault(
                "otel.exporter.otlp.traces.endpoint",
                properties.get("otel.exporter.otlp.endpoint"));
        parts.add(
            "otlp ("
                + protocol(properties)
                + ") at "
                + (endpoint == null
                    ? (protocol(properties).equals(GRPC)
                            ? "http://localhost:4317"
                            : "http://localhost:4318/v1/traces")
                        + " (the SDK's default)"
                    : withoutUserInfo(endpoint)));
      } else {
        parts.add(CONSOLE.contains(exporter) ? "console" : exporter);
      }
    }
    return "spans to " + String.join(", ", parts);
  }

  private static String protocol(Map<String, String> properties) {
    return properties
        .getOrDefault(
            "otel.exporter.otlp.traces.protocol", properties.get("otel.exporter.otlp.protocol"))
        .strip();
  }

  /** An endpoint may name a user and password, or a token in its query; the log gets neither. */
  private static String withoutUserInfo(String endpoint) {
    try {
      URI uri = new URI(endpoint.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "an endpoint that is not a URL";
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "an endpoint that is not a URL";
    }
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
