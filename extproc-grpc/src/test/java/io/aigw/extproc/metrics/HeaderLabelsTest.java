package io.aigw.extproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.usage.TokenUsage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Request headers as labels of the exchange meters: a tenant's tokens, say. */
class HeaderLabelsTest {

  private static ExchangeSummary exchange(Map<String, String> headers) {
    return new ExchangeSummary(
        "default/chat",
        "default/openai",
        "openai",
        "chat",
        "gpt-4o-mini",
        "gpt-4o-mini",
        "gpt-4o-mini-2024",
        200,
        new TokenUsage(
            OptionalLong.of(13),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.of(7),
            OptionalLong.of(20),
            OptionalLong.empty()),
        false,
        OptionalLong.empty(),
        OptionalLong.empty(),
        300_000_000L,
        headers);
  }

  private static ExtProcMetrics metrics(String mapping, int maxValues) {
    return new ExtProcMetrics(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        ExtProcMetrics.MAX_CACHED_KEYS,
        ExtProcMetrics.MAX_MODELS,
        new HeaderLabels(HeaderAttributes.parse(mapping), maxValues));
  }

  @Test
  void aTenantsTokensAndRequestsCarryItsHeader() {
    ExtProcMetrics metrics = new ExtProcMetrics(HeaderAttributes.parse("x-tenant-id:tenant.id"));
    metrics.completed(exchange(Map.of("x-tenant-id", "acme", "x-other", "1")));
    metrics.completed(exchange(Map.of("x-tenant-id", "globex")));

    String text = metrics.scrape();
    assertThat(text)
        .contains(
            "aigw_extproc_requests_total{backend=\"default/openai\",model=\"gpt-4o-mini\","
                + "operation=\"chat\",route=\"default/chat\",status=\"200\",tenant_id=\"acme\"} 1.0")
        .contains("tenant_id=\"globex\"} 1.0");
    assertThat(text.lines().filter(l -> l.startsWith("gen_ai_client_token_usage_token_sum{")))
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).containsPattern("tenant_id=\"(acme|globex)\""));
  }

  @Test
  void aRequestWithoutTheHeaderHasTheLabelEmptySoEverySeriesHasTheSameLabels() {
    ExtProcMetrics metrics = new ExtProcMetrics(HeaderAttributes.parse("x-tenant-id:tenant.id"));
    metrics.completed(exchange(Map.of()));
    metrics.completed(exchange(Map.of("x-tenant-id", "acme")));

    assertThat(metrics.scrape())
        .contains("status=\"200\",tenant_id=\"\"} 1.0")
        .contains("status=\"200\",tenant_id=\"acme\"} 1.0");
  }

  @Test
  void valuesPastTheBoundCountAsOther() {
    ExtProcMetrics metrics = metrics("x-user:user", 2);
    for (String user : new String[] {"ada", "bob", "eve", "mallory"}) {
      metrics.completed(exchange(Map.of("x-user", user)));
    }

    assertThat(metrics.scrape())
        .contains("user=\"ada\"} 1.0")
        .contains("user=\"bob\"} 1.0")
        .contains("user=\"_OTHER\"} 2.0")
        .doesNotContain("user=\"eve\"");
  }

  @Test
  void noHeaderLabelsLeaveTheSeriesAsTheyWere() {
    ExtProcMetrics metrics = new ExtProcMetrics(HeaderAttributes.parse("none"));
    metrics.completed(exchange(Map.of("x-tenant-id", "acme")));

    assertThat(metrics.scrape())
        .contains(
            "aigw_extproc_requests_total{backend=\"default/openai\",model=\"gpt-4o-mini\","
                + "operation=\"chat\",route=\"default/chat\",status=\"200\"} 1.0");
  }

  @Test
  void aLabelThatWouldShadowOneOfTheMetricsOwnIsRefused() {
    assertThatThrownBy(
            () -> ExtProcMetrics.checkHeaderLabels(HeaderAttributes.parse("x-model:model")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attribute model is a label of the metrics' own");
    assertThatThrownBy(() -> HeaderAttributes.parse("x-api-key:key"))
        .hasMessageContaining("carries a credential");
  }
}
