package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.aigw.extproc.auth.CredentialSource;
import io.aigw.extproc.quota.QuotaLedger;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProtocolConfiguration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestBodyBudgetTest {

  private static final int SIZE = CHAT.length();

  private static final long HOLD_NANOS = 5_000_000_000L;

  /** Room for two chat bodies, not three; every announced body held from its headers. */
  private final RequestBodyBudget budget =
      new RequestBodyBudget(2L * SIZE + SIZE / 2, 1, HOLD_NANOS);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private final RecordingObserver observer = new RecordingObserver();
  private final CredentialSource credentials =
      file ->
          file.path().equals("/secrets/openai/apiKey")
              ? Optional.of("sk-test\n")
              : Optional.empty();
  private final RoutingTable table =
      FilterConfigAdapter.toRoutingTable(List.of(Exchanges.chatRoute())).table();

  private StreamProcessor processor() {
    return processor(budget);
  }

  private StreamProcessor processor(RequestBodyBudget bodies) {
    return new StreamProcessor(
        table,
        new ProcessorEnvironment(
            clock::get,
            () -> 0.5,
            credentials,
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer,
            Clock.systemUTC(),
            bodies,
            RequestTracer.OFF,
            new QuotaLedger()));
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
    assertThat(Exchanges.setHeaders(refused.getHeaders()))
        .as("the SDKs wait as long as retry-after says before they retry")
        .containsEntry("retry-after", "1");
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
    assertThat(observer.overloads)
        .as("and as an overload of its body")
        .containsExactly((long) SIZE);
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
  void aHoldWhoseBodyIsSlowLapsesAndTheBodyIsCountedWhenItComes() throws Exception {
    StreamProcessor slow = processor();
    StreamProcessor other = processor();
    announce(slow, SIZE);
    announce(other, SIZE);
    clock.addAndGet(HOLD_NANOS + 1);

    StreamProcessor later = processor();
    assertThat(announce(later, SIZE).hasRequestHeaders())
        .as("the two holds lapsed: a slow upload does not keep the budget")
        .isTrue();
    announce(processor(), SIZE);
    assertOverloaded(slow.process(requestBody(CHAT)));
    assertThat(budget.held()).as("the lapsed holds are not given back twice").isEqualTo(2L * SIZE);
  }

  @Test
  void aSmallBodyIsNotHeldFromItsHeadersAndAnOversizedOneIsRefused() throws Exception {
    RequestBodyBudget large = new RequestBodyBudget(10L * SIZE, 2L * SIZE, HOLD_NANOS);
    StreamProcessor small = processor(large);
    announce(small, SIZE);
    assertThat(large.held()).isZero();
    assertThat(small.process(requestBody(CHAT)).getRequestBody().getResponse().getClearRouteCache())
        .isTrue();
    assertThat(large.held()).isZero();

    ImmediateResponse tooLarge = announce(processor(), Long.MAX_VALUE).getImmediateResponse();
    assertThat(tooLarge.getStatus().getCodeValue()).isEqualTo(413);
    assertThat(tooLarge.getBody().toStringUtf8()).contains("request_too_large");
    assertThat(observer.overloads).as("too large is no overload").isEmpty();
    assertThat(observer.completed).extracting(ExchangeSummary::status).containsExactly(413);
  }

  @Test
  void oneBodyLargerThanTheWholeBudgetIsTakenWhileNothingElseIsHeld() throws Exception {
    StreamProcessor large = processor();
    assertThat(announce(large, 10L * SIZE).hasRequestHeaders()).isTrue();
    assertOverloaded(announce(processor(), 1));
    assertThat(large.process(requestBody(CHAT)).getRequestBody().getResponse().getClearRouteCache())
        .as("the large body is forwarded")
        .isTrue();
    assertThat(budget.held()).isZero();
  }

  /** Request headers without content-length, the body to come part by part (STREAMED). */
  private static ProcessingRequest streamedHeaders() {
    return requestHeaders("/v1/chat/completions").toBuilder()
        .setProtocolConfig(
            ProtocolConfiguration.newBuilder()
                .setRequestBodyMode(ProcessingMode.BodySendMode.STREAMED)
                .setResponseBodyMode(ProcessingMode.BodySendMode.BUFFERED))
        .build();
  }

  private static ProcessingRequest part(String text, boolean last) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(text)).setEndOfStream(last))
        .build();
  }

  @Test
  void aStreamedBodyIsCountedPartByPartAndRefusedOnceItNoLongerFits() throws Exception {
    announce(processor(), SIZE);
    announce(processor(), SIZE);
    StreamProcessor streamed = processor();
    streamed.process(streamedHeaders());

    assertThat(streamed.process(part(CHAT.substring(0, SIZE / 4), false)).hasRequestBody())
        .isTrue();
    assertThat(budget.held()).as("the part is counted as it comes").isEqualTo(2L * SIZE + SIZE / 4);
    assertOverloaded(streamed.process(part(CHAT.substring(SIZE / 4), false)));
    assertThat(budget.held()).as("and given back with the refusal").isEqualTo(2L * SIZE);
  }

  @Test
  void aStreamedBodyIsForwardedWholeAndGivesItsPartsBack() {
    StreamProcessor streamed = processor();
    streamed.process(streamedHeaders());
    int half = SIZE / 2;

    streamed.process(part(CHAT.substring(0, half), false));
    ProcessingResponse routed = streamed.process(part(CHAT.substring(half), true));

    assertThat(routed.getRequestBody().getResponse().getClearRouteCache()).isTrue();
    assertThat(budget.held()).isZero();
  }

  @Test
  void aStreamedBodyLargerThanTheWholeBudgetIsServedOnAnIdleExtProc() {
    String large =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "x".repeat(3 * SIZE)
            + "\"}]}";
    StreamProcessor streamed = processor();
    streamed.process(streamedHeaders());
    int quarter = large.length() / 4;

    for (int i = 0; i < 3; i++) {
      assertThat(streamed.process(part(large.substring(i * quarter, (i + 1) * quarter), false)))
          .as("part %d, beside nothing but the body's own", i)
          .matches(ProcessingResponse::hasRequestBody);
    }
    ProcessingResponse routed = streamed.process(part(large.substring(3 * quarter), true));

    assertThat(routed.getRequestBody().getResponse().getClearRouteCache()).isTrue();
    assertThat(budget.held()).isZero();
  }

  @Test
  void aBodyOverTheSizeLimitIsRefusedWithoutContentLengthToo() throws Exception {
    RequestBodyBudget roomy = new RequestBodyBudget(Long.MAX_VALUE / 2, 1L << 40, HOLD_NANOS);
    String oneMiB = "x".repeat(1 << 20);

    StreamProcessor chunked = processor(roomy);
    chunked.process(requestHeaders("/v1/chat/completions"));
    ImmediateResponse buffered =
        chunked
            .process(part("x".repeat((int) OpenAiJson.MAX_BODY_BYTES + 1), true))
            .getImmediateResponse();
    StreamProcessor streamed = processor(roomy);
    streamed.process(streamedHeaders());
    ProcessingResponse last = null;
    for (int i = 0; i <= OpenAiJson.MAX_BODY_BYTES >> 20 && last == null; i++) {
      ProcessingResponse answer = streamed.process(part(oneMiB, false));
      last = answer.hasImmediateResponse() ? answer : null;
    }

    assertThat(buffered.getStatus().getCodeValue()).isEqualTo(413);
    assertThat(last).as("the part over 50 MiB is refused").isNotNull();
    assertThat(last.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(413);
    assertThat(
            new ObjectMapper()
                .readTree(last.getImmediateResponse().getBody().toStringUtf8())
                .at("/error/code")
                .asText())
        .isEqualTo("request_too_large");
    assertThat(roomy.held()).isZero();
  }
}
