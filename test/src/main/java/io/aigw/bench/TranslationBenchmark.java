package io.aigw.bench;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.TranslatorFactory;
import io.aigw.extproc.translate.openai.OpenAiRequestParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Provider translation cost on one thread: request translation per request (OpenAI chat → Converse
 * and → Gemini) and response stream translation (Bedrock event stream and Gemini SSE → OpenAI SSE),
 * per chunk and in MB/s of provider bytes. Run: see BENCHMARKS.md, "Provider translation".
 */
public final class TranslationBenchmark {

  private static final ApiSchema BEDROCK = new ApiSchema(ApiSchema.Name.AWSBedrock, null, null);
  private static final ApiSchema VERTEX = new ApiSchema(ApiSchema.Name.GCPVertexAI, null, null);
  private static final BackendAuth GCP = new BackendAuth.Gcp("p", "us-central1", null, null);
  private static volatile long sink;

  private TranslationBenchmark() {}

  public static void main(String[] args) throws Exception {
    byte[] chat = chatRequest();
    System.out.printf("request body %d bytes%n", chat.length);
    requestCost("Bedrock Converse request", chat, BEDROCK, null);
    requestCost("Gemini generateContent request", chat, VERTEX, GCP);
    byte[] frames = bedrockStream(20_000);
    streamCost(
        "Bedrock ConverseStream",
        BEDROCK,
        null,
        frames,
        20_000,
        "application/vnd.amazon.eventstream");
    byte[] sse = geminiStream(20_000);
    streamCost("Gemini streamGenerateContent", VERTEX, GCP, sse, 20_000, "text/event-stream");
  }

  private static byte[] chatRequest() {
    StringBuilder body =
        new StringBuilder("{\"model\":\"us.amazon.nova-micro-v1:0\",\"max_tokens\":256,");
    body.append(
        "\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"}");
    while (body.length() < 2000) {
      body.append(
          ",{\"role\":\"user\",\"content\":\"Tell me about the history of the bicycle in Europe.\"}");
      body.append(",{\"role\":\"assistant\",\"content\":\"It began with the draisine in 1817.\"}");
    }
    body.append(",{\"role\":\"user\",\"content\":\"And then?\"}]}");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void requestCost(String name, byte[] body, ApiSchema schema, BackendAuth auth)
      throws Exception {
    int rounds = 200_000;
    for (int warm = 0; warm < 2; warm++) {
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        ParsedRequest request = OpenAiRequestParser.parse(Endpoint.CHAT_COMPLETIONS, body);
        Translator t = TranslatorFactory.create(Endpoint.CHAT_COMPLETIONS, schema).orElseThrow();
        sink += t.request(request, plan(schema, auth)).path().length();
      }
      long nanos = System.nanoTime() - start;
      if (warm == 1) {
        System.out.printf(
            "%-34s %8.2f µs/request (%d requests)%n", name, nanos / 1000.0 / rounds, rounds);
      }
    }
  }

  private static RequestPlan plan(ApiSchema schema, BackendAuth auth) {
    return new RequestPlan(
        schema, Optional.empty(), false, Optional.ofNullable(auth), 1_700_000_000L, Map.of());
  }

  private static void streamCost(
      String name,
      ApiSchema schema,
      BackendAuth auth,
      byte[] stream,
      int events,
      String contentType)
      throws Exception {
    byte[] request =
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    int chunk = 16 * 1024;
    int rounds = 30;
    long best = Long.MAX_VALUE;
    long outBytes = 0;
    for (int round = 0; round < rounds; round++) {
      Translator t = TranslatorFactory.create(Endpoint.CHAT_COMPLETIONS, schema).orElseThrow();
      t.request(OpenAiRequestParser.parse(Endpoint.CHAT_COMPLETIONS, request), plan(schema, auth));
      t.responseHeaders(200, Map.of("content-type", contentType, "x-amzn-requestid", "req-1"));
      long start = System.nanoTime();
      long out = 0;
      for (int at = 0; at < stream.length; at += chunk) {
        byte[] piece = Arrays.copyOfRange(stream, at, Math.min(stream.length, at + chunk));
        out +=
            t.responseBody(piece, at + chunk >= stream.length)
                .replacement()
                .map(b -> b.length)
                .orElse(0);
      }
      long nanos = System.nanoTime() - start;
      outBytes = out;
      best = Math.min(best, nanos);
      sink += t.usage().totalOrZero();
    }
    double seconds = best / 1e9;
    System.out.printf(
        "%-34s %8.1f MB/s in, %6.0f ns/event, %d events, %.1f MB in, %.1f MB out (best of %d)%n",
        name,
        stream.length / seconds / 1e6,
        best / (double) events,
        events,
        stream.length / 1e6,
        outBytes / 1e6,
        rounds);
  }

  /** A ConverseStream of text deltas with Bedrock's {@code p} padding, framed with CRCs. */
  private static byte[] bedrockStream(int deltas) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(
        out,
        "messageStart",
        "{\"role\":\"assistant\",\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGH\"}");
    for (int i = 0; i < deltas - 3; i++) {
      frame(
          out,
          "contentBlockDelta",
          "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" token"
              + (i % 97)
              + " and more\"},\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEF\"}");
    }
    frame(out, "messageStop", "{\"stopReason\":\"end_turn\",\"p\":\"abcdefgh\"}");
    frame(
        out,
        "metadata",
        "{\"usage\":{\"inputTokens\":100,\"outputTokens\":20000,\"totalTokens\":20100},\"metrics\":{\"latencyMs\":1}}");
    return out.toByteArray();
  }

  private static void frame(ByteArrayOutputStream out, String type, String json) {
    byte[] headers = headers(type);
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headers.length + payload.length + 4;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(total).putInt(headers.length);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 8);
    b.putInt((int) crc.getValue());
    b.put(headers).put(payload);
    crc.reset();
    crc.update(b.array(), 0, total - 4);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }

  private static byte[] headers(String type) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    header(h, ":event-type", type);
    header(h, ":content-type", "application/json");
    header(h, ":message-type", "event");
    return h.toByteArray();
  }

  private static void header(ByteArrayOutputStream h, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    h.write(n.length);
    h.writeBytes(n);
    h.write(7);
    h.write(v.length >> 8);
    h.write(v.length & 0xff);
    h.writeBytes(v);
  }

  private static byte[] geminiStream(int chunks) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < chunks; i++) {
      out.append(
              "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" token")
          .append(i % 97)
          .append(
              " and more\"}]}}],\"usageMetadata\":{\"promptTokenCount\":100,\"candidatesTokenCount\":")
          .append(i)
          .append(",\"totalTokenCount\":")
          .append(100 + i)
          .append("},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"abc\"}\r\n\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
