package io.aigw.extproc.translate.anthropic;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

class AnthropicTranslatorsTest {

  private static final BackendAuth.Gcp GCP = new BackendAuth.Gcp("p", "us-east5", null, null);

  static ApiSchema schema(ApiSchema.Name name, String version) {
    return new ApiSchema(name, version, name == ApiSchema.Name.Anthropic ? "v1" : null);
  }

  record Case(String name, String openAi, String anthropic) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> requests() {
    return Stream.of(
        new Case(
            // upstream sends max_tokens 0, which Anthropic refuses: most OpenAI clients send none
            "GCP example of the reference, without max_tokens: 4096, version added",
            "{\"model\":\"claude-3-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
            "{\"max_tokens\":4096,\"messages\":[{\"content\":[{\"text\":\"Hello\",\"type\":\"text\"}],\"role\":\"user\"}],"
                + "\"anthropic_version\":\"vertex-2023-10-16\"}"),
        new Case(
            "system, sampling, stop, tools and choice, tool results",
            "{\"model\":\"c\",\"max_tokens\":50,\"temperature\":0.2,\"top_p\":0.9,\"stop\":\"X\",\"parallel_tool_calls\":false,"
                + "\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}],\"messages\":[{\"role\":\"system\",\"content\":\"be"
                + " brief\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"{\\\"error\\\":\\\"no\\\"}\"}]}",
            "{\"max_tokens\":50,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\"{\\\"error\\\":\\\"no\\\"}\"}]}]}],\"system\":[{\"type\":\"text\",\"text\":\"be"
                + " brief\"}],"
                + "\"temperature\":0.2,\"top_p\":0.9,\"stop_sequences\":[\"X\"],\"tools\":[{\"name\":\"f\",\"input_schema\":"
                + "{\"type\":\"object\",\"properties\":{}}}],\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true},"
                + "\"anthropic_version\":\"vertex-2023-10-16\"}"),
        new Case(
            "images: data URI as base64, URL as url source",
            "{\"model\":\"c\",\"max_completion_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"data:image/png;base64,QUJD\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.jpg\"}}]}]}",
            "{\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"image/png\",\"data\":\"QUJD\"}},{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/y.jpg\"}}]}],"
                + "\"anthropic_version\":\"vertex-2023-10-16\"}"));
  }

  @ParameterizedTest
  @MethodSource("requests")
  void translatesChatRequestsFieldByField(Case c) throws Exception {
    UpstreamRequest upstream =
        new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.GCPAnthropic)
            .request(
                TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, c.openAi()),
                TranslatorHarness.plan(schema(ApiSchema.Name.GCPAnthropic, null), null, GCP));
    assertThat(TranslatorHarness.body(upstream)).isEqualTo(json(c.anthropic()));
  }

  @Test
  void aProvidersErrorThatIsNotJsonIsTypedAfterItsProvider() throws Exception {
    for (var expected :
        Map.of(
                ApiSchema.Name.Anthropic, "AnthropicBackendError",
                ApiSchema.Name.GCPAnthropic, "GCPBackendError",
                ApiSchema.Name.AWSAnthropic, "AWSBedrockBackendError")
            .entrySet()) {
      var translator = new ChatCompletionsToAnthropicTranslator(expected.getKey());
      translator.responseHeaders(502, Map.of("content-type", "text/html"));

      assertThat(json(TranslatorHarness.error(translator, 502, "<html>bad gateway</html>")))
          .as(expected.getKey().name())
          .isEqualTo(
              json(
                  "{\"type\":\"error\",\"error\":{\"type\":\""
                      + expected.getValue()
                      + "\",\"code\":\"502\",\"message\":\"<html>bad gateway</html>\"}}"));
    }
  }

  @Test
  void pathsPerProviderAndTheNativeBodyNamesTheModel() throws Exception {
    String body = "{\"model\":\"claude\",\"stream\":true,\"messages\":[]}";
    var gcp =
        new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.GCPAnthropic)
            .request(
                TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, body),
                TranslatorHarness.plan(
                    schema(ApiSchema.Name.GCPAnthropic, "vertex-2023-10-16"), null, GCP));
    assertThat(gcp.path())
        .isEqualTo(
            "/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude:streamRawPredict");
    var aws =
        new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.AWSAnthropic)
            .request(
                TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, body),
                TranslatorHarness.plan(
                    schema(ApiSchema.Name.AWSAnthropic, null), "anthropic.claude-v2:1", null));
    assertThat(aws.path()).isEqualTo("/model/anthropic.claude-v2:1/invoke-with-response-stream");
    assertThat(TranslatorHarness.body(aws).get("anthropic_version").asText())
        .isEqualTo("bedrock-2023-05-31");
    var nativeApi =
        new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic)
            .request(
                TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, body),
                TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    assertThat(nativeApi.path()).isEqualTo("/v1/messages");
    assertThat(TranslatorHarness.body(nativeApi).get("model").asText()).isEqualTo("claude");
    assertThat(TranslatorHarness.body(nativeApi).get("stream").asBoolean()).isTrue();
    assertThat(nativeApi.headers())
        .contains(new UpstreamRequest.Header("anthropic-version", "2023-06-01"));
  }

  @Test
  void temperatureAboveOneIsRefused() {
    assertThatThrownBy(
            () ->
                new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic)
                    .request(
                        TranslatorHarness.parse(
                            Endpoint.CHAT_COMPLETIONS,
                            "{\"model\":\"c\",\"temperature\":2,\"messages\":[]}"),
                        TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("temperature 2.00 is not supported by Anthropic");
  }

  @Test
  void aBufferedMessageBecomesACompletionWithCacheTokensInThePrompt() throws Exception {
    var t = new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic);
    t.request(
        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, "{\"model\":\"c\",\"messages\":[]}"),
        TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    String message =
        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":"
            + "[{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":\"tool_use\",\"id\":\"tu\",\"name\":\"f\",\"input\":{\"a\":1}}],"
            + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5,\"cache_read_input_tokens\":3}}";
    JsonNode out = json(TranslatorHarness.feed(t, message.getBytes(StandardCharsets.UTF_8)));
    assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("Hi");
    assertThat(out.at("/choices/0/message/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"a\":1}");
    assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(out.get("usage"))
        .isEqualTo(
            json(
                "{\"prompt_tokens\":13,\"completion_tokens\":5,\"total_tokens\":18,\"prompt_tokens_details\":{\"cached_tokens\":3}}"));
    assertThat(t.responseModel()).hasValue("claude-x");
  }

  private static JsonNode outputConfig(ApiSchema.Name schema, String model, String override)
      throws Exception {
    return outputConfig(schema, model, override, "high");
  }

  private static JsonNode outputConfig(
      ApiSchema.Name schema, String model, String override, String effort) throws Exception {
    String chat =
        "{\"model\":\""
            + model
            + "\",\"max_tokens\":9,\"reasoning_effort\":\""
            + effort
            + "\",\"response_format\":{\"type\":\"json_schema\","
            + "\"json_schema\":{\"name\":\"n\",\"schema\":{\"type\":\"object\"}}},\"messages\":[]}";
    return TranslatorHarness.body(
            new ChatCompletionsToAnthropicTranslator(schema)
                .request(
                    TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, chat),
                    TranslatorHarness.plan(
                        schema(schema, null),
                        override,
                        schema == ApiSchema.Name.GCPAnthropic
                            ? GCP
                            : new BackendAuth.Aws("us-east-1", null, null))))
        .path("output_config");
  }

  @Test
  void aJsonSchemaAndAReasoningEffortReachTheClaudeModelsThatTakeThem() throws Exception {
    assertThat(outputConfig(ApiSchema.Name.GCPAnthropic, "claude-opus-4-6@20260101", null))
        .isEqualTo(
            json(
                "{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}},"
                    + "\"effort\":\"high\"}"));
    assertThat(outputConfig(ApiSchema.Name.GCPAnthropic, "claude-haiku-4-5@20251001", null))
        .as("a schema, but no effort for Haiku")
        .isEqualTo(
            json("{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}"));
    assertThat(
            outputConfig(ApiSchema.Name.AWSAnthropic, "anthropic.claude-opus-4-7-v1:0", null)
                .path("format")
                .isMissingNode())
        .as("Bedrock does not take a schema for Opus 4.7")
        .isTrue();
    assertThat(outputConfig(ApiSchema.Name.GCPAnthropic, "claude-3-5-sonnet@20240620", null))
        .as("older models get neither")
        .isEqualTo(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    assertThat(
            outputConfig(ApiSchema.Name.GCPAnthropic, "claude-3-5-sonnet", "claude-sonnet-4-6")
                .path("effort")
                .asText())
        .as("the override model decides")
        .isEqualTo("high");
    assertThat(
            outputConfig(ApiSchema.Name.GCPAnthropic, "claude-opus-4-6", null, "minimal")
                .path("effort")
                .asText())
        .isEqualTo("low");
    assertThat(
            outputConfig(ApiSchema.Name.GCPAnthropic, "claude-opus-4-6", null, "none")
                .has("effort"))
        .as("none leaves Claude's default")
        .isFalse();
  }

  @Test
  void thinkingComesBackWithItsSignatureAndGoesOutFirstInTheNextTurn() throws Exception {
    var t = new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic);
    t.request(
        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, "{\"model\":\"c\",\"messages\":[]}"),
        TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    String message =
        "{\"id\":\"msg_1\",\"model\":\"claude-x\",\"content\":["
            + "{\"type\":\"thinking\",\"thinking\":\"call f\",\"signature\":\"sig==\"},"
            + "{\"type\":\"redacted_thinking\",\"data\":\"enc==\"},"
            + "{\"type\":\"tool_use\",\"id\":\"tu\",\"name\":\"f\",\"input\":{}}],"
            + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
    JsonNode reply =
        json(TranslatorHarness.feed(t, message.getBytes(StandardCharsets.UTF_8)))
            .at("/choices/0/message");
    assertThat(reply.get("reasoning_content").asText()).isEqualTo("call f");
    assertThat(reply.get("thinking_blocks"))
        .isEqualTo(
            json(
                "[{\"type\":\"thinking\",\"thinking\":\"call f\",\"signature\":\"sig==\"},"
                    + "{\"type\":\"redacted_thinking\",\"data\":\"enc==\"}]"));

    // the client sends the assistant message back as it got it, with the tool's result
    String next =
        "{\"model\":\"c\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"thinking_blocks\":"
            + reply.get("thinking_blocks")
            + ",\"tool_calls\":[{\"id\":\"tu\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"tu\",\"content\":\"42\"}]}";
    JsonNode sent =
        TranslatorHarness.body(
            new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic)
                .request(
                    TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, next),
                    TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null)));
    assertThat(sent.at("/messages/1/content"))
        .isEqualTo(
            json(
                "[{\"type\":\"thinking\",\"thinking\":\"call f\",\"signature\":\"sig==\"},"
                    + "{\"type\":\"redacted_thinking\",\"data\":\"enc==\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"tu\",\"name\":\"f\",\"input\":{}}]"));
  }

  @Test
  void aStreamedThinkingSignatureAndARedactedBlockReachTheClient() throws Exception {
    String sse =
        "event: message_start\n"
            + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":1}}}\n\n"
            + "event: content_block_start\n"
            + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
            + "event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}\n\n"
            + "event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig==\"}}\n\n"
            + "event: content_block_stop\n"
            + "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: content_block_start\n"
            + "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"enc==\"}}\n\n"
            + "event: content_block_stop\n"
            + "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
            + "event: message_delta\n"
            + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}\n\n"
            + "event: message_stop\n"
            + "data: {\"type\":\"message_stop\"}\n\n";
    String out = streamed(sse.getBytes(StandardCharsets.UTF_8));
    assertThat(out)
        .contains("\"reasoning_content\":\"hm\"")
        .as("the block whole, as the next turn must send it back")
        .contains(
            "\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"sig==\"}]")
        .contains("\"thinking_blocks\":[{\"type\":\"redacted_thinking\",\"data\":\"enc==\"}]");
  }

  static final String SSE =
      "event: message_start\n"
          + "data:"
          + " {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\",\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}\n\n"
          + "event: content_block_start\n"
          + "data:"
          + " {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
          + "event: ping\n"
          + "data: {\"type\":\"ping\"}\n\n"
          + "event: content_block_delta\n"
          + "data:"
          + " {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n"
          + "event: content_block_delta\n"
          + "data:"
          + " {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}\n\n"
          + "event: content_block_stop\n"
          + "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
          + "event: content_block_start\n"
          + "data:"
          + " {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"tu\",\"name\":\"f\",\"input\":{}}}\n\n"
          + "event: content_block_delta\n"
          + "data:"
          + " {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}\n\n"
          + "event: content_block_stop\n"
          + "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
          + "event: message_delta\n"
          + "data:"
          + " {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":15}}\n\n"
          + "event: message_stop\n"
          + "data: {\"type\":\"message_stop\"}\n\n";

  @Test
  void anAnthropicStreamBecomesOpenAiChunksWhereverItIsCut() throws Exception {
    byte[] bytes = SSE.getBytes(StandardCharsets.UTF_8);
    String whole = streamed(bytes);
    assertThat(whole).contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"");
    assertThat(whole).contains("\"tool_calls\":[{\"index\":0,\"id\":\"tu\"");
    assertThat(whole).contains("\"finish_reason\":\"tool_calls\"");
    assertThat(whole)
        .contains("\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":15,\"total_tokens\":35");
    assertThat(whole).endsWith("data: [DONE]\n\n");
    for (int cut = 1; cut < bytes.length; cut += 13) {
      assertThat(streamed(bytes, cut)).isEqualTo(whole);
    }
  }

  @Test
  void aStreamEndsWithAUsageChunkOnlyWhenTheClientAskedForOne() throws Exception {
    var t = new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic);
    t.request(
        TranslatorHarness.parse(
            Endpoint.CHAT_COMPLETIONS, "{\"model\":\"c\",\"stream\":true,\"messages\":[]}"),
        TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    t.responseHeaders(200, Map.of("content-type", "text/event-stream"));
    assertThat(TranslatorHarness.feed(t, SSE.getBytes(StandardCharsets.UTF_8), 50))
        .doesNotContain("\"choices\":[]");
    assertThat(t.usage().outputOrZero()).as("still counted for the costs").isEqualTo(15);
  }

  @Test
  void aLastEventWithoutItsBlankLineStillCountsItsUsage() throws Exception {
    // a server that closes the stream right after message_delta, without the blank line
    String cut = SSE.substring(0, SSE.indexOf("event: message_stop")).stripTrailing();
    byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
    assertThat(streamed(bytes))
        .as("chat completions: the usage of the unterminated event")
        .contains("\"completion_tokens\":15");

    var messages = new MessagesTranslator(ApiSchema.Name.Anthropic);
    messages.request(
        TranslatorHarness.parse(
            Endpoint.MESSAGES,
            "{\"model\":\"c\",\"max_tokens\":9,\"stream\":true,\"messages\":[]}"),
        TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    messages.responseHeaders(200, Map.of("content-type", "text/event-stream"));
    assertThat(TranslatorHarness.feed(messages, bytes, 40))
        .as("passed through as it came")
        .isEqualTo(cut);
    assertThat(messages.usage().outputOrZero()).isEqualTo(15);
  }

  private static String streamed(byte[] bytes, int... cuts) throws Exception {
    var t = new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.Anthropic);
    t.request(
        TranslatorHarness.parse(
            Endpoint.CHAT_COMPLETIONS,
            "{\"model\":\"c\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[]}"),
        TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    t.responseHeaders(200, Map.of("content-type", "text/event-stream"));
    String out = TranslatorHarness.feed(t, bytes, cuts);
    assertThat(t.usage().outputOrZero()).isEqualTo(15);
    return out;
  }

  static byte[] bedrockWrapped(String sse) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String event : sse.split("\n\n")) {
      String json = event.substring(event.indexOf("data: ") + 6);
      String payload =
          "{\"bytes\":\""
              + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
              + "\",\"p\":\"abc\"}";
      Map<String, HeaderValue> headers = new LinkedHashMap<>();
      headers.put(":event-type", HeaderValue.fromString("chunk"));
      headers.put(":message-type", HeaderValue.fromString("event"));
      ByteBuffer buffer =
          new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void messagesToBedrockUnwrapTheEventStreamIntoAnthropicSse() throws Exception {
    var t = new MessagesTranslator(ApiSchema.Name.AWSAnthropic);
    UpstreamRequest upstream =
        t.request(
            TranslatorHarness.parse(
                Endpoint.MESSAGES,
                "{\"model\":\"anthropic.claude-3-sonnet-20240229-v1:0\",\"max_tokens\":100,\"stream\":true,\"messages\":[]}"),
            TranslatorHarness.plan(
                schema(ApiSchema.Name.AWSAnthropic, "bedrock-2023-05-31"),
                null,
                null,
                Map.of(
                    "anthropic-beta",
                    "interleaved-thinking-2025-05-14,not-allowed,advanced-tool-use-2025-11-20")));
    assertThat(upstream.path())
        .isEqualTo("/model/anthropic.claude-3-sonnet-20240229-v1:0/invoke-with-response-stream");
    assertThat(TranslatorHarness.body(upstream))
        .isEqualTo(
            json(
                "{\"max_tokens\":100,\"messages\":[],\"anthropic_version\":\"bedrock-2023-05-31\","
                    + "\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\",\"tool-search-tool-2025-10-19\"]}"));
    assertThat(t.responseHeaders(200, Map.of("content-type", "application/vnd.amazon.eventstream")))
        .contains(new UpstreamRequest.Header("content-type", "text/event-stream"));
    byte[] frames = bedrockWrapped(SSE);
    String out = TranslatorHarness.feed(t, frames, 7, 100, 333);
    assertThat(out).isEqualTo(SSE);
    assertThat(t.usage().inputOrZero()).isEqualTo(20);
    assertThat(t.usage().outputOrZero()).isEqualTo(15);
    assertThat(t.responseModel()).hasValue("claude-x");
  }

  @Test
  void aBedrockExceptionMidStreamReachesTheClientAsAnErrorEvent() throws Exception {
    String firstEvents = SSE.substring(0, SSE.indexOf("\n\n", SSE.indexOf("\n\n") + 2) + 2);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(bedrockWrapped(firstEvents));
    body.writeBytes(
        exceptionFrame("throttlingException", "{\"message\":\"Too many \\\"tokens\\\"\"}"));

    var messages = new MessagesTranslator(ApiSchema.Name.AWSAnthropic);
    messages.request(
        TranslatorHarness.parse(
            Endpoint.MESSAGES,
            "{\"model\":\"anthropic.claude\",\"max_tokens\":9,\"stream\":true,\"messages\":[]}"),
        TranslatorHarness.plan(
            schema(ApiSchema.Name.AWSAnthropic, "bedrock-2023-05-31"), null, null));
    messages.responseHeaders(200, Map.of("content-type", "application/vnd.amazon.eventstream"));
    String sse = TranslatorHarness.feed(messages, body.toByteArray(), 5, 90);
    assertThat(sse)
        .startsWith(firstEvents)
        .endsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Too many \\\"tokens\\\"\"}}\n\n");

    var chat = new ChatCompletionsToAnthropicTranslator(ApiSchema.Name.AWSAnthropic);
    chat.request(
        TranslatorHarness.parse(
            Endpoint.CHAT_COMPLETIONS, "{\"model\":\"c\",\"stream\":true,\"messages\":[]}"),
        TranslatorHarness.plan(
            schema(ApiSchema.Name.AWSAnthropic, "bedrock-2023-05-31"), null, null));
    chat.responseHeaders(200, Map.of("content-type", "application/vnd.amazon.eventstream"));
    String chunks = TranslatorHarness.feed(chat, body.toByteArray(), 33);
    assertThat(chunks).contains("rate_limit_error").contains("Too many \\\"tokens\\\"");
  }

  @Test
  void bedrocksOwnErrorsOnTheMessagesApiAreAnthropicShapedAndAnthropicsPassThrough() {
    var denied = new MessagesTranslator(ApiSchema.Name.AWSAnthropic);
    denied.responseHeaders(403, Map.of("content-type", "application/json"));
    assertThat(
            json(
                TranslatorHarness.error(
                    denied, 403, "{\"message\":\"The security token is bad\"}")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\","
                    + "\"message\":\"The security token is bad\"},\"request_id\":\"\"}"));
    String relayed =
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}";
    var overloaded = new MessagesTranslator(ApiSchema.Name.AWSAnthropic);
    overloaded.responseHeaders(529, Map.of("content-type", "application/json"));
    assertThat(TranslatorHarness.error(overloaded, 529, relayed)).isEqualTo(relayed);
    var vertex = new MessagesTranslator(ApiSchema.Name.GCPAnthropic);
    vertex.responseHeaders(400, Map.of("content-type", "application/json"));
    String google =
        "{\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}";
    assertThat(TranslatorHarness.error(vertex, 400, google)).isEqualTo(google);
  }

  @Test
  void aDamagedBedrockStreamEndsInOneErrorEvent() throws Exception {
    byte[] frames = bedrockWrapped(SSE);
    frames[frames.length / 2] ^= 0x5a;
    var messages = new MessagesTranslator(ApiSchema.Name.AWSAnthropic);
    messages.request(
        TranslatorHarness.parse(
            Endpoint.MESSAGES,
            "{\"model\":\"anthropic.claude\",\"max_tokens\":9,\"stream\":true,\"messages\":[]}"),
        TranslatorHarness.plan(
            schema(ApiSchema.Name.AWSAnthropic, "bedrock-2023-05-31"), null, null));
    messages.responseHeaders(200, Map.of("content-type", "application/vnd.amazon.eventstream"));
    String sse = TranslatorHarness.feed(messages, frames, 10, 20, 30, 40, frames.length - 1);
    assertThat(sse.split("event: error", -1)).hasSize(2);
    assertThat(sse).endsWith("\"message\":\"the provider's event stream is damaged\"}}\n\n");
  }

  private static byte[] exceptionFrame(String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    ByteBuffer buffer = new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Test
  void messagesPassThroughToAnthropicAndVertexWithUsage() throws Exception {
    String request = "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[]}";
    var anthropic = new MessagesTranslator(ApiSchema.Name.Anthropic);
    UpstreamRequest direct =
        anthropic.request(
            TranslatorHarness.parse(Endpoint.MESSAGES, request),
            TranslatorHarness.plan(schema(ApiSchema.Name.Anthropic, null), null, null));
    assertThat(direct.path()).isEqualTo("/v1/messages");
    assertThat(direct.body()).isEmpty();
    assertThat(anthropic.responseHeaders(200, Map.of("content-type", "application/json")))
        .isEmpty();
    assertThat(
            new MessagesTranslator(ApiSchema.Name.Anthropic)
                .responseHeaders(429, Map.of("content-type", "application/json")))
        .as("a JSON error passes through as it is")
        .isEmpty();
    String message =
        "{\"id\":\"m\",\"model\":\"claude-x\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":4}}";
    assertThat(TranslatorHarness.feed(anthropic, message.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(message);
    assertThat(anthropic.usage().totalOrZero()).isEqualTo(7);

    var vertex = new MessagesTranslator(ApiSchema.Name.GCPAnthropic);
    UpstreamRequest gcp =
        vertex.request(
            TranslatorHarness.parse(Endpoint.MESSAGES, request),
            TranslatorHarness.plan(
                schema(ApiSchema.Name.GCPAnthropic, "vertex-2023-10-16"), null, GCP));
    assertThat(gcp.path())
        .isEqualTo(
            "/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude:rawPredict");
    assertThat(TranslatorHarness.body(gcp))
        .isEqualTo(
            json("{\"max_tokens\":5,\"messages\":[],\"anthropic_version\":\"vertex-2023-10-16\"}"));
    assertThat(vertex.responseHeaders(503, Map.of("content-type", "text/plain")))
        .as("the wrapped error is JSON, and says so")
        .containsExactly(new UpstreamRequest.Header("content-type", "application/json"));
    assertThat(json(TranslatorHarness.error(vertex, 503, "down")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"service_unavailable_error\",\"message\":\"down\"},\"request_id\":\"\"}"));
  }
}
