package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.CHAT_STREAM;
import static io.aigw.extproc.processor.Exchanges.COMPLETION_BODY;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.responseBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Usage is read from gzip-encoded responses, buffered and streamed. */
class CompressedResponseTest {

  private final RecordingObserver observer = new RecordingObserver();

  private StreamProcessor processor() {
    RoutingTable table = FilterConfigAdapter.toRoutingTable(List.of(Exchanges.chatRoute())).table();
    return new StreamProcessor(
        table,
        new ProcessorEnvironment(
            () -> 1L,
            () -> 0.5,
            file -> Optional.of("sk"),
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer));
  }

  private static ProcessingRequest gzipHeaders(String contentType) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(":status", "200");
    all.put("content-type", contentType);
    all.put("content-encoding", "gzip");
    return ProcessingRequest.newBuilder()
        .setResponseHeaders(HttpHeaders.newBuilder().setHeaders(Exchanges.headerMap(all)))
        .build();
  }

  private static double number(ProcessingResponse reply, String key) {
    return reply
        .getDynamicMetadata()
        .getFieldsOrThrow("io.envoy.ai_gateway")
        .getStructValue()
        .getFieldsOrThrow(key)
        .getNumberValue();
  }

  @Test
  void aBufferedGzipBodyPassesThroughEncodedAndItsUsageIsCounted() throws Exception {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    p.process(gzipHeaders("application/json"));
    byte[] encoded = ResponseDecoderTest.gzip(COMPLETION_BODY);
    ProcessingResponse reply = p.process(responseBody(encoded, true));
    assertThat(reply.getResponseBody().getResponse().hasBodyMutation()).isFalse();
    assertThat(number(reply, "used_token")).isEqualTo(13);
    assertThat(observer.errors).isEmpty();
  }

  @Test
  void aStreamedGzipBodyIsSentPlainWithItsUsageChunkRemoved() throws Exception {
    String sse =
        "data:"
            + " {\"id\":\"1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
            + "data:"
            + " {\"id\":\"1\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}}\n\n"
            + "data: [DONE]\n\n";
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT_STREAM));
    ProcessingResponse headers = p.process(gzipHeaders("text/event-stream"));
    assertThat(
            headers.getResponseHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .contains("content-encoding");
    byte[] encoded = ResponseDecoderTest.gzip(sse);
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    ProcessingResponse last = null;
    for (int at = 0; at < encoded.length; at += 9) {
      byte[] piece = Arrays.copyOfRange(encoded, at, Math.min(encoded.length, at + 9));
      last = p.process(responseBody(piece, false));
      client.writeBytes(
          last.getResponseBody().getResponse().getBodyMutation().getBody().toByteArray());
    }
    last = p.process(responseBody(new byte[0], true));
    client.writeBytes(
        last.getResponseBody().getResponse().getBodyMutation().getBody().toByteArray());
    String seen = client.toString(StandardCharsets.UTF_8);
    assertThat(seen).contains("\"Hi\"").contains("[DONE]").doesNotContain("usage");
    assertThat(number(last, "used_token")).isEqualTo(11);
  }
}
