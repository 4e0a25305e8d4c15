package io.aigw.extproc.metrics;

import io.aigw.extproc.processor.ExchangeObserver;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestBodyBudget;
import io.aigw.extproc.quota.QuotaUsage;
import io.aigw.extproc.usage.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
 *   <li>{@code aigw.extproc.errors}: by {@code kind}, internal errors, unavailable credentials,
 *       requests refused for the body budget ({@code overloaded}) and quota buckets the full ledger
 *       did not count ({@code quota_not_counted}) and quota gauges that could not be read ({@code
 *       quota_gauges})
 *   <li>{@code aigw.extproc.request.body.held} and {@code .limit} (bytes): the body budget
 *   <li>{@code aigw.extproc.quota.used} and {@code .limit} (tokens): by {@code backend}, {@code
 *       policy}, {@code model} ("" for a service budget), {@code bucket} ({@code service}, {@code
 *       default} or its header conditions) and {@code window}, the buckets the QuotaPolicies name
 *       (not the per-value ones of a {@code Distinct} header), read when the metrics are
 * </ul>
 *
 * The admin server mounts {@link #scrape()} at {@code /metrics}.
 */
public final class ExtProcMetrics implements ExchangeObserver {

  private static final String UNKNOWN = "unknown";
  private static final String[] TOKEN_TYPES = {
    "input", "cached_input", "cache_creation_input", "output", "reasoning"
  };
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

  /** The bucket boundaries OpenTelemetry's GenAI conventions advise, so quantiles can be read. */
  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  private static final Duration[] DURATION_BUCKETS =
      seconds(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  private static final Duration[] FIRST_TOKEN_BUCKETS =
      seconds(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);
  private static final Duration[] PER_TOKEN_BUCKETS =
      seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  /**
   * Keys cached at most: beyond, meters are looked up in the registry per exchange. Route, backend
   * and model come from the configs, but a response model is whatever a provider answers.
   */
  static final int MAX_CACHED_KEYS = 10_000;

  /** Distinct model names kept as label values; the rest are counted as {@code _OTHER}. */
  static final int MAX_MODELS = 500;

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final int maxCachedKeys;
  private final BoundedLabels models;
  private final HeaderLabels headerLabels;
  private final Map<String, Timer> phaseTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Map<Key, ExchangeMeters> exchangeMeters = new ConcurrentHashMap<>();
  private final MultiGauge quotaUsed;
  private final MultiGauge quotaLimits;
  private volatile Supplier<List<QuotaUsage>> quotaUsage;

  /** Metrics in a Prometheus registry of their own. */
  public ExtProcMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Metrics in {@code registry} (a Prometheus registry enables {@link #scrape()}). */
  public ExtProcMetrics(MeterRegistry registry) {
    this(registry, MAX_CACHED_KEYS, MAX_MODELS);
  }

  /**
   * Metrics in a Prometheus registry of their own, each exchange's labelled with the request
   * headers {@code headerLabels} maps (at most {@value HeaderLabels#MAX_VALUES} values each).
   *
   * @throws IllegalArgumentException when an attribute would shadow one of the metrics' own labels
   */
  public ExtProcMetrics(HeaderAttributes headerLabels) {
    this(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        MAX_CACHED_KEYS,
        MAX_MODELS,
        new HeaderLabels(headerLabels, HeaderLabels.MAX_VALUES));
  }

  ExtProcMetrics(MeterRegistry registry, int maxCachedKeys, int maxModels) {
    this(registry, maxCachedKeys, maxModels, HeaderLabels.NONE);
  }

  /**
   * Checks that {@code headerLabels} can label the metrics, as a flag or setting is read.
   *
   * @throws IllegalArgumentException naming an attribute that would shadow a label of their own
   */
  public static void checkHeaderLabels(HeaderAttributes headerLabels) {
    new HeaderLabels(headerLabels, 0);
  }

  ExtProcMetrics(
      MeterRegistry registry, int maxCachedKeys, int maxModels, HeaderLabels headerLabels) {
    this.registry = registry;
    this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
    this.maxCachedKeys = maxCachedKeys;
    this.models = new BoundedLabels(maxModels);
    this.headerLabels = headerLabels;
    this.quotaUsed =
        MultiGauge.builder("aigw.extproc.quota.used")
            .baseUnit("tokens")
            .description("Cost units drawn from a QuotaPolicy bucket in its current window")
            .register(registry);
    this.quotaLimits =
        MultiGauge.builder("aigw.extproc.quota.limit")
            .baseUnit("tokens")
            .description("Cost units a QuotaPolicy bucket allows per window")
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The Prometheus text exposition (empty when the registry is not a Prometheus one). Scrapes take
   * turns: each refreshes the quota gauges then renders, so none sees them half replaced.
   */
  public synchronized String scrape() {
    try {
      refreshQuotaGauges();
    } catch (RuntimeException e) {
      // the other metrics still answer; the quota gauges keep their last values
      error("quota_gauges");
    }
    return prometheus == null ? "" : prometheus.scrape();
  }

  /**
   * The quota gauges, read from the routes in service when the metrics are: a bucket a config no
   * longer names goes with it.
   */
  private void refreshQuotaGauges() {
    Supplier<List<QuotaUsage>> usage = quotaUsage;
    if (usage == null) {
      return;
    }
    List<MultiGauge.Row<?>> used = new ArrayList<>();
    List<MultiGauge.Row<?>> limits = new ArrayList<>();
    for (QuotaUsage bucket : usage.get()) {
      Tags tags =
          Tags.of(
              "backend", bucket.backend(),
              "policy", bucket.policy(),
              "model", bucket.model(),
              "bucket", bucket.bucket(),
              "window", bucket.duration());
      used.add(MultiGauge.Row.of(tags, bucket.used()));
      limits.add(MultiGauge.Row.of(tags, bucket.limit()));
    }
    quotaUsed.register(used, true);
    quotaLimits.register(limits, true);
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /** What picks an exchange's meters; strings cache their hashes, so a lookup hashes little. */
  private record Key(
      String route,
      String backend,
      String provider,
      String model,
      String operation,
      int status,
      String requestModel,
      String responseModel,
      List<String> headerValues) {}

  /**
   * The meters of one key, looked up once per key instead of through the registry per exchange
   * (registry lookups merge and sort tags: the largest metrics cost per exchange under load). Token
   * and streaming meters are registered on first use, so they appear only once observed; a race
   * registers twice, which the registry answers with the same meter.
   */
  private final class ExchangeMeters {
    private final Counter requests;
    private final Tags genAi;
    private final Timer duration;
    private final DistributionSummary[] tokens = new DistributionSummary[TOKEN_TYPES.length];
    private volatile Timer timeToFirstToken;
    private volatile Timer timePerOutputToken;

    ExchangeMeters(Key k) {
      requests =
          Counter.builder("aigw.extproc.requests")
              .description("Requests the ExtProc finished, by route, backend, model and status")
              .tags("route", k.route(), "backend", orUnknown(k.backend()), "model", k.model())
              .tags("operation", k.operation(), "status", Integer.toString(k.status()))
              .tags(headerLabels.tags(k.headerValues()))
              .register(registry);
      if (k.backend().isEmpty()) {
        genAi = null;
        duration = null;
        return;
      }
      genAi =
          Tags.of(
                  "gen_ai.operation.name", k.operation(),
                  "gen_ai.provider.name", k.provider(),
                  "gen_ai.original.model", k.requestModel(),
                  "gen_ai.request.model", k.model(),
                  "gen_ai.response.model", k.responseModel(),
                  "aigw.backend", k.backend())
              .and(headerLabels.tags(k.headerValues()));
      duration =
          timer(
              "gen_ai.server.request.duration",
              "Time from the request to the end of the response, per request",
              k.status() >= 200 && k.status() < 300 ? genAi : genAi.and("error.type", "_OTHER"),
              DURATION_BUCKETS);
    }

    void tokens(TokenUsage usage) {
      OptionalLong[] values = {
        usage.input(),
        usage.cachedInput(),
        usage.cacheCreationInput(),
        usage.output(),
        usage.reasoning()
      };
      for (int i = 0; i < values.length; i++) {
        if (values[i].isEmpty()) {
          continue;
        }
        DistributionSummary summary = tokens[i];
        if (summary == null) {
          summary =
              DistributionSummary.builder("gen_ai.client.token.usage")
                  .baseUnit("token")
                  .description("Tokens used per request")
                  .serviceLevelObjectives(TOKEN_BUCKETS)
                  .tags(genAi.and("gen_ai.token.type", TOKEN_TYPES[i]))
                  .register(registry);
          tokens[i] = summary;
        }
        summary.record(values[i].getAsLong());
      }
    }

    void streaming(OptionalLong firstToken, OptionalLong perOutputToken) {
      if (positive(firstToken)) {
        if (timeToFirstToken == null) {
          timeToFirstToken =
              timer(
                  "gen_ai.server.time_to_first_token",
                  "Time from the request to the first token of a streamed response",
                  genAi,
                  FIRST_TOKEN_BUCKETS);
        }
        timeToFirstToken.record(firstToken.getAsLong(), TimeUnit.NANOSECONDS);
      }
      if (positive(perOutputToken)) {
        if (timePerOutputToken == null) {
          timePerOutputToken =
              timer(
                  "gen_ai.server.time_per_output_token",
                  "Mean time between output tokens after the first, per streamed response",
                  genAi,
                  PER_TOKEN_BUCKETS);
        }
        timePerOutputToken.record(perOutputToken.getAsLong(), TimeUnit.NANOSECONDS);
      }
    }

    private Timer timer(String name, String description, Tags tags, Duration[] buckets) {
      return Timer.builder(name)
          .description(description)
          .tags(tags)
          .serviceLevelObjectives(buckets)
          .register(registry);
    }
  }

  @Override
  public void completed(ExchangeSummary s) {
    ExchangeMeters m = meters(key(s));
    m.requests.increment();
    if (s.backend().isEmpty()) {
      return;
    }
    m.tokens(s.usage());
    if (s.durationNanos() > 0) {
      m.duration.record(s.durationNanos(), TimeUnit.NANOSECONDS);
    }
    m.streaming(s.timeToFirstTokenNanos(), s.timePerOutputTokenNanos());
  }

  /**
   * Without a backend only the requests counter is kept, and it carries neither requested nor
   * response model: keying those would let every model name a client sends add an entry for good.
   */
  private Key key(ExchangeSummary s) {
    boolean routed = !s.backend().isEmpty();
    return new Key(
        orUnknown(s.route()),
        s.backend(),
        s.provider(),
        s.effectiveModel().isEmpty() ? UNKNOWN : models.of(s.effectiveModel()),
        orUnknown(s.operation()),
        s.status(),
        routed ? models.of(orUnknown(s.requestModel())) : "",
        routed ? models.of(orUnknown(s.responseModel())) : "",
        headerLabels.valuesOf(s.requestHeaders(), routed));
  }

  /** Cached while the cache is under its cap; past it, registered anew (the registry dedupes). */
  private ExchangeMeters meters(Key key) {
    ExchangeMeters cached = exchangeMeters.get(key);
    if (cached != null) {
      return cached;
    }
    if (exchangeMeters.size() >= maxCachedKeys) {
      return new ExchangeMeters(key);
    }
    return exchangeMeters.computeIfAbsent(key, ExchangeMeters::new);
  }

  /** How many keys have their meters cached. */
  int cachedKeys() {
    return exchangeMeters.size();
  }

  private static boolean positive(OptionalLong nanos) {
    return nanos.isPresent() && nanos.getAsLong() > 0;
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
    error("internal");
  }

  @Override
  public void credentialUnavailable(String backend, String reason) {
    error("credential_unavailable");
  }

  @Override
  public void quotaNotCounted(String policy) {
    error("quota_not_counted");
  }

  @Override
  public void modelsDeclared(Set<String> names) {
    models.declare(names);
  }

  /** Counts an error of {@code kind}; its counter is registered on first use and kept. */
  private void error(String kind) {
    errors
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("aigw.extproc.errors")
                    .description("Exchanges the ExtProc could not serve as asked, by kind")
                    .tag("kind", k)
                    .register(registry))
        .increment();
  }

  @Override
  public void quotaUsage(Supplier<List<QuotaUsage>> usage) {
    quotaUsage = usage;
  }

  @Override
  public void bodyBudget(RequestBodyBudget bodies) {
    Gauge.builder("aigw.extproc.request.body.held", bodies, RequestBodyBudget::held)
        .baseUnit("bytes")
        .description("request body bytes the ExtProc has taken on")
        .register(registry);
    Gauge.builder("aigw.extproc.request.body.limit", bodies, RequestBodyBudget::limit)
        .baseUnit("bytes")
        .description("request body bytes the ExtProc takes on at once")
        .register(registry);
  }

  @Override
  public void overloaded(long bytes) {
    error("overloaded");
  }

  private static String orUnknown(String value) {
    return value == null || value.isEmpty() ? UNKNOWN : value;
  }
}
