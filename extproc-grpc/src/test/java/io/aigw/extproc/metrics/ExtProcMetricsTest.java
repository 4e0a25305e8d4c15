package io.aigw.extproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.RequestBodyBudget;
import io.aigw.extproc.usage.TokenUsage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtProcMetricsTest {

  @Test
  void exposesRequestsTokensLatenciesAndPhaseTimesInPrometheusText() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    TokenUsage usage =
        new TokenUsage(
            OptionalLong.of(13),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.of(7),
            OptionalLong.of(20),
            OptionalLong.empty());
    metrics.completed(
        new ExchangeSummary(
            "default/chat",
            "default/openai",
            "openai",
            "chat",
            "gpt-4o-mini",
            "gpt-4o-mini",
            "gpt-4o-mini-2024",
            200,
            usage,
            true,
            OptionalLong.of(200_000_000L),
            OptionalLong.of(10_000_000L),
            300_000_000L,
            io.aigw.extproc.processor.RequestHeaders.NONE));
    metrics.completed(
        new ExchangeSummary(
            "",
            "",
            "",
            "chat",
            "x",
            "",
            "",
            404,
            TokenUsage.NONE,
            false,
            OptionalLong.empty(),
            OptionalLong.empty(),
            0,
            io.aigw.extproc.processor.RequestHeaders.NONE));
    metrics.phaseTime("REQUEST_BODY", 42_000);
    metrics.internalError("x", new IllegalStateException());
    String text = metrics.scrape();
    assertThat(text)
        .contains(
            "aigw_extproc_requests_total{backend=\"default/openai\",model=\"gpt-4o-mini\",operation=\"chat\",route=\"default/chat\",status=\"200\"} 1.0")
        .contains("status=\"404\"")
        .contains("gen_ai_client_token_usage_token_sum{")
        .contains("gen_ai_provider_name=\"openai\"")
        .contains("gen_ai_client_token_usage_token_bucket{")
        .contains("le=\"1024.0\"")
        .contains("gen_ai_server_time_to_first_token_seconds_bucket{")
        .contains("gen_ai_server_request_duration_seconds_bucket{")
        .contains("gen_ai_token_type=\"input\"")
        .contains("gen_ai_token_type=\"output\"")
        .contains("gen_ai_server_time_to_first_token_seconds_sum")
        .contains("gen_ai_server_time_per_output_token_seconds")
        .contains("gen_ai_server_request_duration_seconds")
        .contains("aigw_extproc_phase_duration_seconds_bucket{phase=\"request_body\"")
        .contains("aigw_extproc_errors_total{kind=\"internal\"} 1.0");
    assertThat(ExtProcMetrics.contentType()).startsWith("text/plain");
  }

  @Test
  void theBodyBudgetIsTwoGauges() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    metrics.bodyBudget(new RequestBodyBudget(64 << 20, 1 << 20, 5_000_000_000L));

    assertThat(metrics.scrape())
        .contains("aigw_extproc_request_body_limit_bytes 6.7108864E7")
        .contains("aigw_extproc_request_body_held_bytes 0.0");
  }

  @Test
  void quotaBucketsAreGaugesOfTheRoutesInServiceReadAtEachScrape() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    java.util.List<io.aigw.extproc.quota.QuotaUsage> buckets = new java.util.ArrayList<>();
    buckets.add(
        new io.aigw.extproc.quota.QuotaUsage(
            "ns/openai", "ns/budget", "gpt-4o", "default", "1h", 10_000, 385));
    buckets.add(
        new io.aigw.extproc.quota.QuotaUsage(
            "ns/openai", "ns/budget", "", "service", "1d", 5_000_000, 770));
    metrics.quotaUsage(() -> java.util.List.copyOf(buckets));

    assertThat(metrics.scrape())
        .contains(
            "aigw_extproc_quota_used_tokens{backend=\"ns/openai\",bucket=\"default\","
                + "model=\"gpt-4o\",policy=\"ns/budget\",window=\"1h\"} 385.0")
        .contains(
            "aigw_extproc_quota_limit_tokens{backend=\"ns/openai\",bucket=\"service\",model=\"\","
                + "policy=\"ns/budget\",window=\"1d\"} 5000000.0");

    // a config without the service budget: its gauges go at the next scrape
    buckets.remove(1);
    assertThat(metrics.scrape()).doesNotContain("bucket=\"service\"").contains("385.0");
  }

  @Test
  void quotaGaugesThatCannotBeReadLeaveTheOtherMetricsAnswering() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    metrics.quotaUsage(
        () -> {
          throw new IllegalStateException("no table");
        });
    metrics.overloaded(1);
    assertThat(metrics.scrape())
        .contains("aigw_extproc_errors_total{kind=\"quota_gauges\"} 1.0")
        .contains("aigw_extproc_errors_total{kind=\"overloaded\"} 1.0");
  }

  @Test
  void refusedBodiesAreCountedAsOverloads() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    metrics.overloaded(50 << 20);
    metrics.overloaded(1 << 20);

    assertThat(metrics.scrape()).contains("aigw_extproc_errors_total{kind=\"overloaded\"} 2.0");
  }

  @Test
  void modelsClientsSendOnUnroutedRequestsDoNotGrowTheMeterCache() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    for (int i = 0; i < 50_000; i++) {
      metrics.completed(unrouted("model-" + i));
    }

    assertThat(metrics.cachedKeys()).isEqualTo(1);
    assertThat(
            metrics.registry().get("aigw.extproc.requests").tag("status", "404").counter().count())
        .isEqualTo(50_000);
  }

  @Test
  void everyMetricSaysWhatItCounts() {
    ExtProcMetrics metrics = new ExtProcMetrics();
    metrics.completed(routed("gpt-4o"));
    metrics.credentialUnavailable("openai.default", "no key");

    String scrape = metrics.scrape();

    assertThat(scrape).contains("# HELP gen_ai_server_request_duration_seconds ");
    assertThat(scrape.lines().filter(line -> line.startsWith("# HELP ")))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).matches("# HELP \\S+ \\S.*"));
  }

  @Test
  void aModelTheConfigDeclaresKeepsItsLabelWhateverClientsSentBefore() {
    ExtProcMetrics metrics =
        new ExtProcMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 100, 2);
    // a catch-all rule: the first names clients send would take every room
    for (int i = 0; i < 5; i++) {
      metrics.completed(routed("random-" + i));
    }

    metrics.modelsDeclared(Set.of("gpt-4o"));
    metrics.completed(routed("gpt-4o"));

    var requests = metrics.registry().find("aigw.extproc.requests").counters();
    assertThat(requests.stream().map(c -> c.getId().getTag("model")).distinct())
        .containsExactlyInAnyOrder("random-0", "random-1", "_OTHER", "gpt-4o");
  }

  @Test
  void aModelNameOfKilobytesIsCountedAsOtherAndKeepsNoRoom() {
    ExtProcMetrics metrics =
        new ExtProcMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 100, 2);
    // each distinct long name would be repeated in every series of every histogram it labels
    for (int i = 0; i < 10; i++) {
      metrics.completed(routed(Integer.toString(i).repeat(8_000)));
    }
    metrics.completed(routed("gpt-4o"));

    var requests = metrics.registry().find("aigw.extproc.requests").counters();
    assertThat(requests.stream().map(c -> c.getId().getTag("model")).distinct())
        .containsExactlyInAnyOrder("_OTHER", "gpt-4o");
    assertThat(metrics.scrape()).hasSizeLessThan(200_000);
  }

  @Test
  void modelNamesPastTheBoundAreCountedAsOther() {
    ExtProcMetrics metrics =
        new ExtProcMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 100, 3);
    // a route with a catch-all rule takes whatever model a client names
    for (int i = 0; i < 1_000; i++) {
      metrics.completed(routed("model-" + (i % 10)));
    }
    var requests = metrics.registry().find("aigw.extproc.requests").counters();
    assertThat(requests.stream().map(c -> c.getId().getTag("model")).distinct())
        .containsExactlyInAnyOrder("model-0", "model-1", "model-2", "_OTHER");
    assertThat(
            metrics
                .registry()
                .get("aigw.extproc.requests")
                .tag("model", "_OTHER")
                .counter()
                .count())
        .isEqualTo(700);
    assertThat(
            metrics.registry().find("gen_ai.client.token.usage").summaries().stream()
                .map(summary -> summary.getId().getTag("gen_ai.request.model"))
                .distinct())
        .hasSize(4);
  }

  @Test
  void pastTheCapMetersAreStillCountedButNoLongerCached() {
    ExtProcMetrics metrics =
        new ExtProcMetrics(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 3, ExtProcMetrics.MAX_MODELS);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 5; i++) {
        metrics.completed(routed("model-" + i));
      }
    }

    assertThat(metrics.cachedKeys()).isEqualTo(3);
    for (int i = 0; i < 5; i++) {
      String model = "model-" + i;
      assertThat(
              metrics.registry().get("aigw.extproc.requests").tag("model", model).counter().count())
          .isEqualTo(2.0);
      assertThat(
              metrics
                  .registry()
                  .get("gen_ai.client.token.usage")
                  .tag("gen_ai.request.model", model)
                  .tag("gen_ai.token.type", "input")
                  .summary()
                  .count())
          .isEqualTo(2);
    }
  }

  private static ExchangeSummary unrouted(String requestModel) {
    return new ExchangeSummary(
        "default/chat",
        "",
        "",
        "chat",
        requestModel,
        "",
        "",
        404,
        TokenUsage.NONE,
        false,
        OptionalLong.empty(),
        OptionalLong.empty(),
        1_000_000L,
        io.aigw.extproc.processor.RequestHeaders.NONE);
  }

  private static ExchangeSummary routed(String model) {
    TokenUsage usage =
        new TokenUsage(
            OptionalLong.of(5),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.of(3),
            OptionalLong.of(8),
            OptionalLong.empty());
    return new ExchangeSummary(
        "default/chat",
        "default/openai",
        "openai",
        "chat",
        model,
        model,
        model,
        200,
        usage,
        false,
        OptionalLong.empty(),
        OptionalLong.empty(),
        1_000_000L,
        io.aigw.extproc.processor.RequestHeaders.NONE);
  }
}
