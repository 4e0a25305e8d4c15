package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.extproc.auth.CredentialSource;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestBodyBudgetTest {

  private static final int SIZE = CHAT.length();

  /** Room for two chat bodies, not three. */
  private final RequestBodyBudget budget = new RequestBodyBudget(2L * SIZE + SIZE / 2);

  private final RecordingObserver observer = new RecordingObserver();
  private final CredentialSource credentials =
      file ->
          file.path().equals("/secrets/openai/apiKey")
              ? Optional.of("sk-test\n")
              : Optional.empty();
  private final RoutingTable table =
      FilterConfigAdapter.toRoutingTable(List.of(Exchanges.chatRoute())).table();

  private StreamProcessor processor() {
    return new StreamProcessor(
        table,
        new ProcessorEnvironment(
            System::nanoTime,
            () -> 0.5,
            credentials,
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer,
            Clock.systemUTC(),
            budget));
  }

  /** The request headers Envoy sends for a chat body that announces its length. */
  private static ProcessingResponse announce(StreamProcessor p, long length) {
    return p.process(
        requestHeaders(
            "POST",
            "/v1/chat/completions",
            Map.of("content-length", Long.toString(length)),
            false));
  }

  private static void assertOverloaded(ProcessingResponse answer) throws Exception {
    ImmediateResponse refused = answer.getImmediateResponse();
    assertThat(refused.getStatus().getCodeValue()).isEqualTo(503);
    JsonNode error = new ObjectMapper().readTree(refused.getBody().toStringUtf8()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("overloaded");
    assertThat(error.path("type").asText()).isEqualTo("server_error");
  }

  @Test
  void aBodyBeyondTheBudgetIsRefusedAtItsHeadersAndTakenOnceOneBeforeItIsForwarded()
      throws Exception {
    StreamProcessor first = processor();
    StreamProcessor second = processor();
    StreamProcessor third = processor();
    assertThat(announce(first, SIZE).hasRequestHeaders()).isTrue();
    assertThat(announce(second, SIZE).hasRequestHeaders()).isTrue();

    assertOverloaded(announce(third, SIZE));
    assertThat(third.expectsNothingMore()).as("Envoy sends no body after it").isTrue();
    assertThat(budget.held()).isEqualTo(2L * SIZE);

    assertThat(first.process(requestBody(CHAT)).getRequestBody().getResponse().getClearRouteCache())
        .isTrue();
    assertThat(budget.held()).as("a forwarded body is given back").isEqualTo(SIZE);
    StreamProcessor fourth = processor();
    assertThat(announce(fourth, SIZE).hasRequestHeaders()).isTrue();
    assertThat(observer.completed)
        .extracting(ExchangeSummary::status)
        .as("the refusal is counted as a 503")
        .containsExactly(503);
  }

  @Test
  void aStreamThatEndsBeforeItsBodyAndARefusedBodyGiveTheirBytesBack() {
    StreamProcessor abandoned = processor();
    announce(abandoned, SIZE);
    abandoned.streamClosed();
    assertThat(budget.held()).isZero();

    StreamProcessor invalid = processor();
    announce(invalid, SIZE);
    assertThat(
            invalid
                .process(requestBody("{not json"))
                .getImmediateResponse()
                .getStatus()
                .getCodeValue())
        .isEqualTo(400);
    assertThat(budget.held()).isZero();
  }

  @Test
  void aBodyWithoutContentLengthIsCountedWhenItArrives() throws Exception {
    StreamProcessor first = processor();
    StreamProcessor second = processor();
    announce(first, SIZE);
    announce(second, SIZE);
    StreamProcessor chunked = processor();
    assertThat(chunked.process(requestHeaders("/v1/chat/completions")).hasRequestHeaders())
        .isTrue();

    assertOverloaded(chunked.process(requestBody(CHAT)));
    assertThat(budget.held()).isEqualTo(2L * SIZE);
  }

  @Test
  void oneBodyLargerThanTheWholeBudgetIsTakenWhileNothingElseIsHeld() throws Exception {
    StreamProcessor large = processor();
    assertThat(announce(large, 10L * SIZE).hasRequestHeaders()).isTrue();
    assertOverloaded(announce(processor(), 1));
    large.process(requestBody(CHAT));
    assertThat(budget.held()).isZero();
  }
}
