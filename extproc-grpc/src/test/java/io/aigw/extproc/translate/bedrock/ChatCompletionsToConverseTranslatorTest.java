package io.aigw.extproc.translate.bedrock;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChatCompletionsToConverseTranslatorTest {

  private static final ApiSchema BEDROCK = new ApiSchema(ApiSchema.Name.AWSBedrock, null, null);

  record Case(String name, String openAi, String converse) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> requests() {
    return Stream.of(
        new Case(
            "system message becomes system, no messages",
            "{\"model\":\"something\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a"
                + " chatbot.\"}]}",
            "{\"inferenceConfig\":{},\"messages\":[],\"system\":[{\"text\":\"You are a"
                + " chatbot.\"}]}"),
        new Case(
            "sampling fields, max_completion_tokens wins, stop string",
            "{\"model\":\"m\",\"max_tokens\":5,\"max_completion_tokens\":10,\"temperature\":0.5,\"top_p\":0.9,"
                + "\"stop\":\"END\",\"seed\":1,\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"inferenceConfig\":{\"maxTokens\":10,\"temperature\":0.5,\"topP\":0.9,\"stopSequences\":[\"END\"]},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}"),
        new Case(
            "tool call and merged tool results",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"ls\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc123\",\"type\":\"function\","
                + "\"function\":{\"name\":\"list_files\",\"arguments\":\"{\\\"path\\\":\\\"/tmp\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_abc123\",\"content\":\"a\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":[{\"type\":\"text\",\"text\":\"b\"}]}]}",
            "{\"inferenceConfig\":{},\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"ls\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"name\":\"list_files\",\"input\":{\"path\":\"/tmp\"},\"toolUseId\":\"call_abc123\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"content\":[{\"text\":\"a\"}],\"status\":null,\"toolUseId\":\"call_abc123\"}},"
                + "{\"toolResult\":{\"content\":[{\"text\":\"b\"}],\"status\":null,\"toolUseId\":\"call_2\"}}]}]}"),
        new Case(
            "image data URI, cache point after a cached part, audio dropped",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"x\",\"format\":\"wav\"}}]}]}",
            "{\"inferenceConfig\":{},\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"what\"},"
                + "{\"cachePoint\":{\"type\":\"default\"}},{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"AAAA\"}}}]}]}"),
        new Case(
            "tools with auto choice, service tier, thinking and reasoning effort",
            "{\"model\":\"m\",\"service_tier\":\"priority\",\"reasoning_effort\":\"low\",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100},"
                + "\"tool_choice\":\"auto\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\","
                + "\"parameters\":{\"type\":\"object\"}}}],\"messages\":[]}",
            "{\"inferenceConfig\":{},\"serviceTier\":{\"type\":\"priority\"},\"additionalModelRequestFields\":"
                + "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100},\"reasoning_config\":\"low\"},\"messages\":[],"
                + "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"f\",\"description\":\"d\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}],"
                + "\"toolChoice\":{\"auto\":{}}}}"),
        new Case(
            "required choice is any; a named string choice only for Claude",
            "{\"model\":\"m\",\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"messages\":[]}",
            "{\"inferenceConfig\":{},\"messages\":[],\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"f\",\"inputSchema\":{\"json\":{}}}}],"
                + "\"toolChoice\":{\"any\":{}}}}"),
        new Case(
            "assistant thinking and text parts; empty assistant dropped",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\","
                + "\"signature\":\"sig\"},{\"type\":\"text\",\"text\":\"ok\"}]},{\"role\":\"assistant\",\"content\":\"\"}]}",
            "{\"inferenceConfig\":{},\"messages\":[{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":"
                + "{\"reasoningText\":{\"text\":\"hmm\",\"signature\":\"sig\"}}},{\"text\":\"ok\"}]}]}"),
        new Case(
            "thinking_blocks of a previous answer go first, before the tool call",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"thinking_blocks\":["
                + "{\"type\":\"thinking\",\"thinking\":\"why\",\"signature\":\"s\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"enc\"}],"
                + "\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}",
            "{\"inferenceConfig\":{},\"messages\":[{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":"
                + "{\"reasoningText\":{\"text\":\"why\",\"signature\":\"s\"}}},"
                + "{\"reasoningContent\":{\"redactedContent\":\"enc\"}},"
                + "{\"toolUse\":{\"name\":\"f\",\"input\":{},\"toolUseId\":\"t1\"}}]}]}"));
  }

  @ParameterizedTest
  @MethodSource("requests")
  void translatesTheRequestFieldByField(Case c) throws Exception {
    UpstreamRequest upstream =
        new ChatCompletionsToConverseTranslator()
            .request(
                TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, c.openAi()),
                TranslatorHarness.plan(BEDROCK, null, null));
    assertThat(TranslatorHarness.body(upstream)).isEqualTo(json(c.converse()));
  }

  @Test
  void pathsEscapeTheModelAndChooseConverseOrConverseStream() throws Exception {
    var t = new ChatCompletionsToConverseTranslator();
    String buffered = "{\"model\":\"us.meta.llama3-2-1b-instruct-v1:0\",\"messages\":[]}";
    assertThat(
            t.request(
                    TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, buffered),
                    TranslatorHarness.plan(BEDROCK, null, null))
                .path())
        .isEqualTo("/model/us.meta.llama3-2-1b-instruct-v1:0/converse");
    String streamed = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}";
    assertThat(
            new ChatCompletionsToConverseTranslator()
                .request(
                    TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, streamed),
                    TranslatorHarness.plan(
                        BEDROCK, "arn:aws:bedrock:us-east-1:1:inference-profile/x y", null))
                .path())
        .isEqualTo("/model/arn:aws:bedrock:us-east-1:1:inference-profile%2Fx%20y/converse-stream");
  }

  @Test
  void refusesWhatConverseCannotExpressWith422() {
    for (String body :
        List.of(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://x/cat.png\"}}]}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}",
            "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"x\"},\"messages\":[]}")) {
      assertThatThrownBy(
              () ->
                  new ChatCompletionsToConverseTranslator()
                      .request(
                          TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, body),
                          TranslatorHarness.plan(BEDROCK, null, null)))
          .as(body)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  private static ChatCompletionsToConverseTranslator started(boolean stream, int status)
      throws Exception {
    var t = new ChatCompletionsToConverseTranslator();
    String body =
        "{\"model\":\"something\",\"stream\":"
            + stream
            + ",\"stream_options\":{\"include_usage\":"
            + stream
            + "},\"messages\":[]}";
    t.request(
        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, body),
        TranslatorHarness.plan(BEDROCK, null, null));
    t.responseHeaders(
        status,
        Map.of(
            "x-amzn-requestid", "req-1",
            "content-type", stream ? "application/vnd.amazon.eventstream" : "application/json",
            "x-amzn-errortype", "ThrottledException"));
    return t;
  }

  @Test
  void aBufferedAnswerBecomesAChatCompletionWithTheFirstTextOnly() throws Exception {
    var t = started(false, 200);
    String converse =
        "{\"output\":{\"message\":{\"content\":[{\"text\":\"response\"},{\"text\":\"from\"},"
            + "{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"f\",\"input\":{\"a\":1}}},"
            + "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"why\",\"signature\":\"s\"}}}],"
            + "\"role\":\"assistant\"}},\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":10,"
            + "\"outputTokens\":20,\"totalTokens\":30,\"cacheWriteInputTokens\":5}}";
    JsonNode out = json(TranslatorHarness.feed(t, converse.getBytes(StandardCharsets.UTF_8)));
    assertThat(out)
        .isEqualTo(
            json(
                "{\"id\":\"req-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"something\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"response\","
                    + "\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}],"
                    + "\"reasoning_content\":\"why\",\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"why\",\"signature\":\"s\"}]},"
                    + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":20,"
                    + "\"total_tokens\":35,\"prompt_tokens_details\":{\"cache_creation_input_tokens\":5}}}"));
    assertThat(t.usage().inputOrZero()).isEqualTo(15);
    assertThat(t.usage().cacheCreationInputOrZero()).isEqualTo(5);
    assertThat(t.usage().totalOrZero()).isEqualTo(35);
    assertThat(t.responseModel()).hasValue("something");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "max_tokens, length",
    "content_filtered, content_filter",
    "tool_use, tool_calls",
    "guardrail_intervened, stop"
  })
  void mapsStopReasons(String bedrock, String openAi) {
    assertThat(ConverseResponses.finishReason(bedrock)).isEqualTo(openAi);
  }

  @Test
  void aStreamedThinkingBlockReachesTheClientWholeWithItsSignature() throws Exception {
    byte[] stream =
        new BedrockFrames()
            .event("messageStart", "{\"role\":\"assistant\"}")
            .event(
                "contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"wh\"}}}")
            .event(
                "contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"y\"}}}")
            .event(
                "contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"s\"}}}")
            .event("contentBlockStop", "{\"contentBlockIndex\":0}")
            .event("messageStop", "{\"stopReason\":\"end_turn\"}")
            .bytes();
    String out = TranslatorHarness.feed(started(true, 200), stream);
    assertThat(out)
        .contains("\"reasoning_content\":\"wh\"")
        .as("the block whole, as the next turn must send it back")
        .contains(
            "\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"why\",\"signature\":\"s\"}]");
  }

  @Test
  void aStreamEndsWithAUsageChunkOnlyWhenTheClientAskedForOne() throws Exception {
    var t = new ChatCompletionsToConverseTranslator();
    t.request(
        TranslatorHarness.parse(
            Endpoint.CHAT_COMPLETIONS, "{\"model\":\"something\",\"stream\":true,\"messages\":[]}"),
        TranslatorHarness.plan(BEDROCK, null, null));
    t.responseHeaders(200, Map.of("content-type", "application/vnd.amazon.eventstream"));
    assertThat(TranslatorHarness.feed(t, BedrockFrames.toolStream()))
        .doesNotContain("\"choices\":[]")
        .endsWith("data: [DONE]\n\n");
    assertThat(t.usage().inputOrZero()).as("still counted for the costs").isEqualTo(45);
  }

  @Test
  void aStreamBecomesOpenAiChunksEndingWithDone() throws Exception {
    var t = started(true, 200);
    String out = TranslatorHarness.feed(t, BedrockFrames.toolStream());
    List<String> data = new ArrayList<>();
    for (String event : out.split("\n\n")) {
      data.add(event.substring("data: ".length()));
    }
    assertThat(data).hasSize(7);
    String envelope =
        "\"id\":\"req-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"something\",";
    assertThat(json(data.get(0)))
        .isEqualTo(
            json(
                "{"
                    + envelope
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"role\":\"assistant\"}}]}"));
    assertThat(json(data.get(1)).at("/choices/0/delta/content").asText()).isEqualTo("Don");
    assertThat(json(data.get(2)).at("/choices/0/delta/tool_calls/0"))
        .isEqualTo(
            json(
                "{\"index\":0,\"id\":\"tooluse_Q\",\"type\":\"function\",\"function\":{\"name\":\"cosine\",\"arguments\":\"\"}}"));
    assertThat(json(data.get(3)).at("/choices/0/delta/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"x\": \"17\"}");
    assertThat(json(data.get(4)).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(json(data.get(5)))
        .isEqualTo(
            json(
                "{"
                    + envelope
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":45,\"completion_tokens\":36,"
                    + "\"total_tokens\":81,\"prompt_tokens_details\":{\"cached_tokens\":4}}}"));
    assertThat(data.get(6)).isEqualTo("[DONE]");
    assertThat(t.usage().inputOrZero()).isEqualTo(45);
    assertThat(t.usage().cachedInputOrZero()).isEqualTo(4);
    assertThat(t.usage().outputOrZero()).isEqualTo(36);
  }

  @Test
  void aStreamSplitAtEveryByteBoundaryGivesTheSameChunks() throws Exception {
    byte[] frames = BedrockFrames.toolStream();
    String whole = TranslatorHarness.feed(started(true, 200), frames);
    for (int cut = 1; cut < frames.length; cut++) {
      assertThat(TranslatorHarness.feed(started(true, 200), frames, cut)).isEqualTo(whole);
    }
    int[] everyByte = new int[frames.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertThat(TranslatorHarness.feed(started(true, 200), frames, everyByte)).isEqualTo(whole);
  }

  @Test
  void aStreamedExceptionBecomesAnErrorEventAndADamagedFrameStopsDecoding() throws Exception {
    byte[] frames =
        new BedrockFrames()
            .event("messageStart", "{\"role\":\"assistant\"}")
            .exception("throttlingException", "{\"message\":\"slow down\"}")
            .bytes();
    String out = TranslatorHarness.feed(started(true, 200), frames);
    assertThat(out)
        .contains("data: {\"error\":{\"type\":\"throttlingException\",\"message\":\"slow down\"}}")
        .endsWith("data: [DONE]\n\n");
    byte[] damaged = BedrockFrames.toolStream();
    damaged[30] ^= 0x55;
    String broken = TranslatorHarness.feed(started(true, 200), damaged);
    assertThat(broken).contains("AWSBedrockBackendError").endsWith("data: [DONE]\n\n");
  }

  @Test
  void errorsTakeTheAmznErrorTypeAndKeepTheStatus() throws Exception {
    assertThat(
            json(
                TranslatorHarness.error(
                    started(false, 429), 429, "{\"message\":\"aws bedrock rate limit exceeded\"}")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"ThrottledException\",\"code\":\"429\","
                    + "\"message\":\"aws bedrock rate limit exceeded\"}}"));
    var plain = new ChatCompletionsToConverseTranslator();
    plain.responseHeaders(503, Map.of("content-type", "text/plain"));
    assertThat(json(TranslatorHarness.error(plain, 503, "backend timeout")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"AWSBedrockBackendError\",\"code\":\"503\",\"message\":\"backend"
                    + " timeout\"}}"));
  }
}
