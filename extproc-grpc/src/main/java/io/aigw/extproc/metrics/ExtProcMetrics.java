package io.aigw.extproc.metrics;

import io.aigw.extproc.processor.ExchangeObserver;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.usage.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ExtProc's metrics, in Micrometer, named as the upstream gateway names them (OpenTelemetry
 * GenAI conventions; Prometheus turns dots into underscores):
 *
 * <ul>
 *   <li>{@code aigw.extproc.requests} (counter): route, backend, model, operation, status
 *   <li>{@code gen_ai.client.token.usage} (token): per {@code gen_ai.token.type}
 *   <li>{@code gen_ai.server.request.duration}, {@code gen_ai.server.time_to_first_token}, {@code
 *       gen_ai.server.time_per_output_token} (seconds)
 *   <li>{@code aigw.extproc.phase.duration}: processor time per ext_proc message kind
 *   <li>{@code aigw.extproc.errors}: internal errors and unavailable credentials
 * </ul>
 *
 * The admin server mounts {@link #scrape()} at {@code /metrics}.
 */
public final class ExtProcMetrics implements ExchangeObserver {

  private static final String UNKNOWN = "unknown";
  private static final Duration[] PHASE_BUCKETS = {
    Duration.ofNanos(10_000),
    Duration.ofNanos(25_000),
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(25)
  };

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final Map<String, Timer> phaseTimers = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> requestCounters = new ConcurrentHashMap<>();
  private final Map<List<String>, Tags> genAiTags = new ConcurrentHashMap<>();
  private final Map<List<Object>, Object> meters = new ConcurrentHashMap<>();

  /** Metrics in a Prometheus registry of their own. */
  public ExtProcMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Metrics in {@code registry} (a Prometheus registry enables {@link #scrape()}). */
  public ExtProcMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (empty when the registry is not a Prometheus one). */
  public String scrape() {
    return prometheus == null ? "" : prometheus.scrape();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public void completed(ExchangeSummary s) {
    String model = s.effectiveModel().isEmpty() ? UNKNOWN : s.effectiveModel();
    List<String> key =
        List.of(
            orUnknown(s.route()),
            orUnknown(s.backend()),
            model,
            orUnknown(s.operation()),
            Integer.toString(s.status()));
    requestCounters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("aigw.extproc.requests")
                    .description(
                        "Requests the ExtProc finished, by route, backend, model and status")
                    .tags("route", k.get(0), "backend", k.get(1), "model", k.get(2))
                    .tags("operation", k.get(3), "status", k.get(4))
                    .register(registry))
        .increment();
    if (s.backend().isEmpty()) {
      return;
    }
    Tags genAi =
        genAiTags.computeIfAbsent(
            List.of(
                orUnknown(s.operation()),
                orUnknown(s.requestModel()),
                model,
                orUnknown(s.responseModel()),
                s.backend()),
            k ->
                Tags.of(
                    "gen_ai.operation.name", k.get(0),
                    "gen_ai.original.model", k.get(1),
                    "gen_ai.request.model", k.get(2),
                    "gen_ai.response.model", k.get(3),
                    "aigw.backend", k.get(4)));
    tokens(s.usage(), genAi);
    Tags duration =
        s.status() >= 200 && s.status() < 300 ? genAi : genAi.and("error.type", "_OTHER");
    seconds("gen_ai.server.request.duration", duration, OptionalLong.of(s.durationNanos()));
    seconds("gen_ai.server.time_to_first_token", genAi, s.timeToFirstTokenNanos());
    seconds("gen_ai.server.time_per_output_token", genAi, s.timePerOutputTokenNanos());
  }

  private void tokens(TokenUsage usage, Tags tags) {
    record("input", usage.input(), tags);
    record("cached_input", usage.cachedInput(), tags);
    record("cache_creation_input", usage.cacheCreationInput(), tags);
    record("output", usage.output(), tags);
    record("reasoning", usage.reasoning(), tags);
  }

  private void record(String type, OptionalLong value, Tags tags) {
    if (value.isEmpty()) {
      return;
    }
    DistributionSummary summary =
        (DistributionSummary)
            meters.computeIfAbsent(
                List.of("tokens", type, tags),
                k ->
                    DistributionSummary.builder("gen_ai.client.token.usage")
                        .baseUnit("token")
                        .description("Tokens used per request")
                        .tags(tags.and("gen_ai.token.type", type))
                        .register(registry));
    summary.record(value.getAsLong());
  }

  private void seconds(String name, Tags tags, OptionalLong nanos) {
    if (nanos.isEmpty() || nanos.getAsLong() <= 0) {
      return;
    }
    Timer.builder(name)
        .tags(tags)
        .register(registry)
        .record(nanos.getAsLong(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void phaseTime(String phase, long nanos) {
    phaseTimers
        .computeIfAbsent(
            phase,
            p ->
                Timer.builder("aigw.extproc.phase.duration")
                    .description("Processor time per ext_proc message kind")
                    .tag("phase", p.toLowerCase(java.util.Locale.ROOT))
                    .serviceLevelObjectives(PHASE_BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void internalError(String phase, RuntimeException error) {
    Counter.builder("aigw.extproc.errors").tag("kind", "internal").register(registry).increment();
  }

  @Override
  public void credentialUnavailable(String backend, String reason) {
    Counter.builder("aigw.extproc.errors")
        .tag("kind", "credential_unavailable")
        .register(registry)
        .increment();
  }

  private static String orUnknown(String value) {
    return value == null || value.isEmpty() ? UNKNOWN : value;
  }
}
