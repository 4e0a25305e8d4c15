package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The processor answers every message and never throws, whatever clients and providers send. */
class StreamProcessorFuzzTest {

  private final RecordingObserver observer = new RecordingObserver();

  private StreamProcessor processor() {
    return new StreamProcessor(
        FilterConfigAdapter.toRoutingTable(List.of(Exchanges.chatRoute())).table(),
        new ProcessorEnvironment(
            () -> 42L,
            () -> 0.3,
            file -> Optional.of("sk"),
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer));
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> fragments =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"model\"",
            "\"gpt-4o-mini\"",
            "\"stream\"",
            "true",
            "null",
            "\"stream_options\"",
            "{\"include_usage\":true}",
            "1e999",
            "-0",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"messages\"",
            "[]",
            " ",
            "\u00e9",
            "\"");
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        fragments.list().ofMaxSize(40).map(parts -> String.join("", parts)),
        Arbitraries.just(Exchanges.CHAT),
        Arbitraries.just(Exchanges.CHAT_STREAM));
  }

  @Property(tries = 400)
  void neverThrowsOnAnyRequestBody(@ForAll("bodies") String body) {
    StreamProcessor p = processor();
    p.process(Exchanges.requestHeaders("/v1/chat/completions"));
    ProcessingResponse reply = p.process(Exchanges.requestBody(body));
    assertThat(reply.hasRequestBody() || reply.hasImmediateResponse()).isTrue();
    if (reply.hasImmediateResponse()) {
      assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isBetween(400, 599);
    }
    assertThat(observer.errors).isEmpty();
  }

  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<String> events =
        Arbitraries.of(
            "data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}\n\n",
            "data: {\"usage\":{\"prompt_tokens\":\"NaN\"}}\n\n",
            "data: {\"usage\":{}\n\n",
            "data: [DONE]\n\n",
            "data: not json\n\n",
            ": keep-alive\r\n\r\n",
            "\r",
            "\n",
            "data:",
            "event: x\n");
    Arbitrary<byte[]> text =
        events.list().ofMaxSize(30).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(text, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
  }

  @Property(tries = 400)
  void neverThrowsOnAnyStreamChunking(
      @ForAll("streams") byte[] stream,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 64) Integer> cuts,
      @ForAll @IntRange(min = 100, max = 599) int status) {
    StreamProcessor p = processor();
    p.process(Exchanges.requestHeaders("/v1/chat/completions"));
    p.process(Exchanges.requestBody(Exchanges.CHAT_STREAM));
    p.process(Exchanges.responseHeaders(status, "text/event-stream"));
    int at = 0;
    int cut = 0;
    do {
      int n = Math.min(stream.length - at, cuts.get(cut++ % cuts.size()));
      byte[] chunk = java.util.Arrays.copyOfRange(stream, at, at + n);
      at += n;
      ProcessingResponse reply = p.process(Exchanges.responseBody(chunk, at >= stream.length));
      assertThat(reply.hasResponseBody()).isTrue();
    } while (at < stream.length);
    assertThat(observer.errors).isEmpty();
  }
}
