package io.aigw.extproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.usage.TokenUsage;
import java.util.OptionalLong;
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
            "chat",
            "gpt-4o-mini",
            "gpt-4o-mini",
            "gpt-4o-mini-2024",
            200,
            usage,
            true,
            OptionalLong.of(200_000_000L),
            OptionalLong.of(10_000_000L),
            300_000_000L));
    metrics.completed(
        new ExchangeSummary(
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
            0));
    metrics.phaseTime("REQUEST_BODY", 42_000);
    metrics.internalError("x", new IllegalStateException());
    String text = metrics.scrape();
    assertThat(text)
        .contains(
            "aigw_extproc_requests_total{backend=\"default/openai\",model=\"gpt-4o-mini\",operation=\"chat\",route=\"default/chat\",status=\"200\"} 1.0")
        .contains("status=\"404\"")
        .contains("gen_ai_client_token_usage_token_sum{")
        .contains("gen_ai_token_type=\"input\"")
        .contains("gen_ai_token_type=\"output\"")
        .contains("gen_ai_server_time_to_first_token_seconds_sum")
        .contains("gen_ai_server_time_per_output_token_seconds")
        .contains("gen_ai_server_request_duration_seconds")
        .contains("aigw_extproc_phase_duration_seconds_bucket{phase=\"request_body\"")
        .contains("aigw_extproc_errors_total{kind=\"internal\"} 1.0");
    assertThat(ExtProcMetrics.contentType()).startsWith("text/plain");
  }
}
