package io.aigw.extproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestHeaders;
import io.aigw.extproc.usage.TokenUsage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Request headers as labels of the exchange meters: a tenant's tokens, say. */
class HeaderLabelsTest {

  private static final TokenUsage USAGE =
      new TokenUsage(
          OptionalLong.of(13),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.of(7),
          OptionalLong.of(20),
          OptionalLong.empty());

  private static ExchangeSummary exchange(Map<String, String> headers) {
    return exchange("default/openai", 200, false, new RequestHeaders(headers, Set.of()));
  }

  private static ExchangeSummary exchange(
      String backend, int status, boolean stream, RequestHeaders headers) {
    return new ExchangeSummary(
        "default/chat",
        backend,
        backend.isEmpty() ? "" : "openai",
        "chat",
        "gpt-4o-mini",
        backend.isEmpty() ? "" : "gpt-4o-mini",
        "gpt-4o-mini-2024",
        status,
        USAGE,
        stream,
        stream ? OptionalLong.of(200_000_000L) : OptionalLong.empty(),
        stream ? OptionalLong.of(10_000_000L) : OptionalLong.empty(),
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

  private static ExtProcMetrics metrics(String mapping) {
    return new ExtProcMetrics(HeaderAttributes.parse(mapping));
  }

  @Test
  void aTenantsTokensRequestsAndLatenciesCarryItsHeader() {
    ExtProcMetrics metrics = metrics("x-tenant-id:tenant.id");
    metrics.completed(exchange(Map.of("x-tenant-id", "acme", "x-other", "1")));
    metrics.completed(
        exchange(
            "default/openai",
            200,
            true,
            new RequestHeaders(Map.of("x-tenant-id", "globex"), Set.of())));
    metrics.completed(
        exchange(
            "default/openai",
            503,
            false,
            new RequestHeaders(Map.of("x-tenant-id", "acme"), Set.of())));

    String text = metrics.scrape();
    assertThat(text)
        .contains(
            "aigw_extproc_requests_total{backend=\"default/openai\",model=\"gpt-4o-mini\","
                + "operation=\"chat\",route=\"default/chat\",status=\"200\",tenant_id=\"acme\"} 1.0")
        .contains("status=\"503\",tenant_id=\"acme\"} 1.0");
    for (String meter :
        new String[] {
          "gen_ai_client_token_usage_token_sum{",
          "gen_ai_server_request_duration_seconds_count{",
          "gen_ai_server_time_to_first_token_seconds_count{",
          "gen_ai_server_time_per_output_token_seconds_count{"
        }) {
      assertThat(text.lines().filter(l -> l.startsWith(meter)))
          .as(meter)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).containsPattern("tenant_id=\"(acme|globex)\""));
    }
  }

  @Test
  void aRequestWithoutTheHeaderHasTheLabelEmptySoEverySeriesHasTheSameLabels() {
    ExtProcMetrics metrics = metrics("x-tenant-id:tenant.id");
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
  void requestsNeverRoutedUseUpNoValue() {
    ExtProcMetrics metrics = metrics("x-user:user", 1);
    metrics.completed(
        exchange("", 404, false, new RequestHeaders(Map.of("x-user", "scanner"), Set.of())));
    metrics.completed(exchange(Map.of("x-user", "ada")));

    assertThat(metrics.scrape())
        .contains("status=\"404\",user=\"\"} 1.0")
        .contains("status=\"200\",user=\"ada\"} 1.0")
        .doesNotContain("scanner");
  }

  @Test
  void combinationsPastTheBoundCountAsOtherInEveryLabel() {
    ExtProcMetrics metrics = metrics("x-tenant:tenant,x-user:user", 100);
    for (int i = 0; i < HeaderLabels.MAX_COMBINATIONS + 5; i++) {
      metrics.completed(exchange(Map.of("x-tenant", "t" + (i % 50), "x-user", "u" + (i / 50))));
    }

    assertThat(metrics.scrape()).contains("status=\"200\",tenant=\"_OTHER\",user=\"_OTHER\"} 5.0");
  }

  @Test
  void aHeaderABackendTakesACredentialInOrAControlCharacterNeverBecomesALabel() {
    ExtProcMetrics metrics = metrics("x-tenant-key:tenant,x-user:user");
    metrics.completed(
        exchange(
            "default/openai",
            200,
            false,
            new RequestHeaders(
                Map.of("x-tenant-key", "sk-tenant-secret", "x-user", "ada\r\nx"),
                Set.of("x-tenant-key"))));

    assertThat(metrics.scrape())
        .doesNotContain("sk-tenant-secret")
        .contains("status=\"200\",tenant=\"\",user=\"_OTHER\"} 1.0");
  }

  @Test
  void noHeaderLabelsLeaveTheSeriesAsTheyWere() {
    ExtProcMetrics metrics = metrics("none");
    metrics.completed(exchange(Map.of("x-tenant-id", "acme")));

    assertThat(metrics.scrape())
        .contains(
            "aigw_extproc_requests_total{backend=\"default/openai\",model=\"gpt-4o-mini\","
                + "operation=\"chat\",route=\"default/chat\",status=\"200\"} 1.0");
  }

  @Test
  void aLabelPrometheusCouldNotTakeIsRefusedBeforeAnyScrape() {
    for (String[] refused :
        new String[][] {
          {"x-model:model", "attribute model is a label of the metrics' own"},
          {"x-m:gen_ai_request_model", "is a label of the metrics' own"},
          {"x-b:aigw.backend", "is a label of the metrics' own"},
          {"x-l:le", "is a label of the metrics' own"},
          {"x-t:tenant.id,x-u:tenant_id", "is given twice (as Prometheus names it, tenant_id)"},
          {"x-d:1tenant", "is not a label name"},
          {"x-u:__name", "is not a label name"},
          {"x-h:tenant-id", "is not a label name"}
        }) {
      assertThatThrownBy(() -> ExtProcMetrics.checkHeaderLabels(HeaderAttributes.parse(refused[0])))
          .as(refused[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(refused[1]);
    }
  }
}
