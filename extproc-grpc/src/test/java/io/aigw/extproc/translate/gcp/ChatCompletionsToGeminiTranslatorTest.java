package io.aigw.extproc.translate.gcp;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ChatCompletionsToGeminiTranslatorTest {

  private static final ApiSchema VERTEX = new ApiSchema(ApiSchema.Name.GCPVertexAI, null, null);
  private static final BackendAuth.Gcp GCP =
      new BackendAuth.Gcp("my-project", "us-central1", null, null);

  record Case(String name, String openAi, String gemini) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> requests() {
    return Stream.of(
        new Case(
            "system instruction, user and model turns, generation config",
            "{\"model\":\"gemini-1.5-pro\",\"temperature\":0.1,\"max_tokens\":20,\"stop\":[\"x\"],\"n\":1,\"messages\":[{\"role\":\"system\",\"content\":\"be"
                + " brief\"},{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"more\"}]}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"hello\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"more\"}]}],\"tools\":null,\"generationConfig\":{\"temperature\":0.1,\"candidateCount\":1,\"maxOutputTokens\":20,\"stopSequences\":[\"x\"]},\"systemInstruction\":{\"parts\":[{\"text\":\"be"
                + " brief\"}]}}"),
        new Case(
            "tools, named choice, tool call and response, images, json schema",
            "{\"model\":\"gemini-2.5-flash\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"object\"}}},"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\",\"description\":\"d\",\"parameters\":{\"type\":\"object\"}}}],\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,QUJD\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":\"gs://b/c.png\"}}]},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"QUJD\"}},"
                + "{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"gs://b/c.png\"}}]},{\"role\":\"model\",\"parts\":"
                + "[{\"functionCall\":{\"name\":\"f\",\"args\":{\"a\":1}},\"thoughtSignature\":\"c2tpcF90aG91Z2h0X3NpZ25hdHVyZV92YWxpZGF0b3I=\"}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":"
                + "{\"name\":\"f\",\"response\":{\"output\":\"42\"}}}]}],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"description\":\"d\","
                + "\"parametersJsonSchema\":{\"type\":\"object\"}}]}],\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\","
                + "\"allowedFunctionNames\":[\"f\"]}},\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"object\"}}}"),
        new Case(
            "the first of parallel calls carries the signature of the client's thinking block",
            "{\"model\":\"gemini-3-pro-preview\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"t\","
                + "\"signature\":\"CiQB0e2Kb7Zx\"}],\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"w\",\"arguments\":\"{\\\"c\\\":\\\"Paris\\\"}\"}},{\"id\":\"b\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"w\",\"arguments\":\"{\\\"c\\\":\\\"Rome\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"sun\"},{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":\"rain\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"weather?\"}]},{\"role\":\"model\",\"parts\":["
                + "{\"functionCall\":{\"name\":\"w\",\"args\":{\"c\":\"Paris\"}},\"thoughtSignature\":\"CiQB0e2Kb7Zx\"},"
                + "{\"functionCall\":{\"name\":\"w\",\"args\":{\"c\":\"Rome\"}}}]},{\"role\":\"user\",\"parts\":["
                + "{\"functionResponse\":{\"name\":\"w\",\"response\":{\"output\":\"sun\"}}},"
                + "{\"functionResponse\":{\"name\":\"w\",\"response\":{\"output\":\"rain\"}}}]}],\"tools\":null}"),
        new Case(
            "Gemini 3: an image's detail, and Gemini's own safety settings and media resolution",
            "{\"model\":\"gemini-3-pro-preview\",\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\","
                + "\"threshold\":\"BLOCK_ONLY_HIGH\"}],\"generationConfig\":{\"mediaResolution\":\"MEDIA_RESOLUTION_LOW\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"gs://b/c.png\",\"detail\":\"high\"}},{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"gs://b/d.png\",\"detail\":\"auto\"}}]}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"gs://b/c.png\"},"
                + "\"mediaResolution\":{\"level\":\"MEDIA_RESOLUTION_HIGH\"}},"
                + "{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"gs://b/d.png\"}}]}],\"tools\":null,"
                + "\"generationConfig\":{\"mediaResolution\":\"MEDIA_RESOLUTION_LOW\"},"
                + "\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_ONLY_HIGH\"}]}"),
        new Case(
            "an assistant turn without calls carries no signature",
            "{\"model\":\"gemini-3-pro-preview\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\",\"thinking_blocks\":[{\"type\":\"thinking\","
                + "\"thinking\":\"t\",\"signature\":\"c2ln\"}]},{\"role\":\"user\",\"content\":\"bye\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":"
                + "[{\"text\":\"hello\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"bye\"}]}],\"tools\":null}"),
        new Case(
            "Gemini before 2.5: an OpenAI SDK's strict schemas become Vertex's Schema; empty parts"
                + " are left out",
            "{\"model\":\"gemini-2.0-flash\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"r\",\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"n\":"
                + "{\"type\":\"number\",\"exclusiveMinimum\":0}},\"additionalProperties\":false}}},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":true,\"parameters\":"
                + "{\"type\":\"object\",\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"properties\":"
                + "{\"x\":{\"type\":[\"string\",\"null\"]},\"kind\":{\"$ref\":\"#/$defs/Kind\"},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"null\"}]}},"
                + "\"c\":{\"const\":7},\"u\":{\"type\":\"string\",\"format\":\"uri\"},"
                + "\"e\":{\"type\":\"integer\",\"enum\":[1,2]},\"k\":{\"const\":\"v\"}},"
                + "\"required\":[\"x\"],\"additionalProperties\":false,"
                + "\"$defs\":{\"Kind\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"],\"description\":\"k\"}}}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"\"},{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"\"}},"
                + "{\"type\":\"text\",\"text\":\"hi\"}]}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"tools\":[{\"functionDeclarations\":"
                + "[{\"name\":\"f\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"x\":{\"type\":\"STRING\","
                + "\"nullable\":true},\"kind\":{\"type\":\"STRING\",\"enum\":[\"a\",\"b\"],\"description\":\"k\"},"
                + "\"tags\":{\"type\":\"ARRAY\",\"items\":{\"nullable\":true,\"type\":\"INTEGER\"}},"
                + "\"c\":{\"type\":\"INTEGER\"},\"u\":{\"type\":\"STRING\"},\"e\":{\"type\":\"INTEGER\"},"
                + "\"k\":{\"type\":\"STRING\",\"enum\":[\"v\"]}},\"required\":[\"x\"]}}]}],\"generationConfig\":{\"responseMimeType\":"
                + "\"application/json\",\"responseSchema\":{\"type\":\"OBJECT\",\"properties\":{\"n\":"
                + "{\"type\":\"NUMBER\"}}}}}"),
        new Case(
            "vLLM's guided_choice is Gemini's enum output",
            "{\"model\":\"gemini-2.5-flash\",\"guided_choice\":[\"yes\",\"no\"],\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"ok?\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"ok?\"}]}],\"tools\":null,"
                + "\"generationConfig\":{\"responseMimeType\":\"text/x.enum\",\"responseSchema\":"
                + "{\"type\":\"STRING\",\"enum\":[\"yes\",\"no\"]}}}"),
        new Case(
            "vLLM's guided_regex is a JSON string with the pattern",
            "{\"model\":\"gemini-2.5-flash\",\"guided_regex\":\"[a-z]+\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"word\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"word\"}]}],\"tools\":null,"
                + "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":"
                + "{\"type\":\"STRING\",\"pattern\":\"[a-z]+\"}}}"),
        new Case(
            "vLLM's guided_json is the JSON schema, converted for Gemini before 2.5",
            "{\"model\":\"gemini-2.0-flash\",\"guided_json\":{\"type\":\"object\",\"additionalProperties\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"json\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"json\"}]}],\"tools\":null,"
                + "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":"
                + "{\"type\":\"OBJECT\"}}}"),
        new Case(
            "an assistant's thinking parts go back as thoughts, signed when no call carries it",
            "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"let me think\","
                + "\"signature\":\"c2ln\"},{\"type\":\"text\",\"text\":\"answer\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]}",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":"
                + "[{\"text\":\"let me think\",\"thought\":true,\"thoughtSignature\":\"c2ln\"},{\"text\":\"answer\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"more\"}]}],\"tools\":null}"));
  }

  @Test
  void aStreamEndsWithAUsageChunkOnlyWhenTheClientAskedForOne() throws Exception {
    String sse =
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]},"
            + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,"
            + "\"candidatesTokenCount\":1,\"totalTokenCount\":4}}\n\n";
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    var unasked = started(true, false);
    assertThat(TranslatorHarness.feed(unasked, bytes))
        .as("OpenAI sends no chunk without choices unless asked; clients read choices[0]")
        .doesNotContain("\"choices\":[]")
        .endsWith("data: [DONE]\n\n");
    assertThat(unasked.usage().totalOrZero()).as("still counted for the costs").isEqualTo(4);
    assertThat(TranslatorHarness.feed(started(true, true), bytes)).contains("\"choices\":[]");
  }

  @Test
  void aSchemaGeminiBefore25CannotTakeIsA422NamingWhy() {
    String recursive =
        "{\"model\":\"gemini-2.0-flash\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
            + "\"parameters\":{\"$ref\":\"#/$defs/Node\",\"$defs\":{\"Node\":{\"type\":\"object\","
            + "\"properties\":{\"next\":{\"$ref\":\"#/$defs/Node\"}}}}}}}],\"messages\":[]}";
    assertThatThrownBy(
            () ->
                new ChatCompletionsToGeminiTranslator()
                    .request(
                        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, recursive),
                        TranslatorHarness.plan(VERTEX, null, GCP)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("recursive (#/$defs/Node)");
    StringBuilder defs = new StringBuilder();
    for (int n = 0; n < 14; n++) {
      String next = "{\"$ref\":\"#/$defs/d" + (n + 1) + "\"}";
      defs.append(n == 0 ? "" : ",")
          .append("\"d")
          .append(n)
          .append("\":{\"type\":\"object\",\"properties\":{\"a\":")
          .append(next)
          .append(",\"b\":")
          .append(next)
          .append(",\"c\":")
          .append(next)
          .append(",\"d\":")
          .append(next)
          .append("}}");
    }
    defs.append(",\"d14\":{\"type\":\"string\"}");
    String bomb =
        "{\"model\":\"gemini-2.0-flash\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
            + "\"parameters\":{\"$ref\":\"#/$defs/d0\",\"$defs\":{"
            + defs
            + "}}}}],\"messages\":[]}";
    assertThatThrownBy(
            () ->
                new ChatCompletionsToGeminiTranslator()
                    .request(
                        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, bomb),
                        TranslatorHarness.plan(VERTEX, null, GCP)))
        .as("a few KB whose refs expand exponentially is refused, not expanded")
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("more than 10000 nodes");
    String anchor = recursive.replace("#/$defs/Node\"}", "#node\"}");
    assertThatThrownBy(
            () ->
                new ChatCompletionsToGeminiTranslator()
                    .request(
                        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, anchor),
                        TranslatorHarness.plan(VERTEX, null, GCP)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a pointer into the schema");
    for (String odd :
        List.of(
            "{\"allOf\":{\"a\":{}}}",
            "{\"anyOf\":{\"a\":{}}}",
            "{\"properties\":{\"a\":7}}",
            "{\"items\":{\"$ref\":\"#/nowhere\"}}")) {
      String chat =
          "{\"model\":\"gemini-2.0-flash\",\"tools\":[{\"type\":\"function\",\"function\":"
              + "{\"name\":\"f\",\"parameters\":"
              + odd
              + "}}],\"messages\":[]}";
      assertThatThrownBy(
              () ->
                  new ChatCompletionsToGeminiTranslator()
                      .request(
                          TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, chat),
                          TranslatorHarness.plan(VERTEX, null, GCP)))
          .as(odd)
          .isInstanceOf(InvalidRequestException.class);
    }
    String noSchema =
        "{\"model\":\"gemini-2.5-flash\",\"response_format\":{\"type\":\"json_schema\"},\"messages\":[]}";
    assertThatThrownBy(
            () ->
                new ChatCompletionsToGeminiTranslator()
                    .request(
                        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, noSchema),
                        TranslatorHarness.plan(VERTEX, null, GCP)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("json_schema.schema");
  }

  @Test
  void aGuidedAnswerComesBackAsTheClientAskedBufferedAndStreamed() throws Exception {
    String regex = "{\"model\":\"gemini-2.5-flash\",\"guided_regex\":\"[a-z]+\",\"messages\":[]}";
    String quoted =
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\\\"hello\\\"\"}]},"
            + "\"finishReason\":\"STOP\"}]}";
    assertThat(guidedAnswer(regex, false, quoted).at("/choices/0/message/content").asText())
        .isEqualTo("hello");
    String choice =
        "{\"model\":\"gemini-2.5-flash\",\"guided_choice\":[\"yes\",\"no\"],\"stream\":true,"
            + "\"messages\":[]}";
    String padded =
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" yes\\n\"}]},"
            + "\"finishReason\":\"STOP\"}]}";
    assertThat(guidedAnswer(choice, true, padded).at("/choices/0/delta/content").asText())
        .isEqualTo("yes");

    assertThat(streamedText(choice, " New", " York \n"))
        .as("only the answer's own ends are trimmed, not each chunk's")
        .isEqualTo("New York");
    String regexStream = regex.replace("\"messages\"", "\"stream\":true,\"messages\"");
    // the JSON string Gemini wrote, decoded across chunks: an escaped quote, a \\u escape
    // cut in two, a newline escape, and what follows the closing quote dropped
    assertThat(streamedText(regexStream, "\"hel", "lo \\", "\"you\\u00", "e9\\n\" \n"))
        .isEqualTo("hello \"you\u00e9\n");
    assertThat(streamedText(regexStream, "\"smile \\ud83d", "\\ude00 ok\""))
        .as("an emoji escaped in two halves, cut between them, reaches the client whole")
        .isEqualTo("smile \ud83d\ude00 ok");
    String escaped = quoted.replace("hello", "a\\\\\\\"b");
    assertThat(guidedAnswer(regex, false, escaped).at("/choices/0/message/content").asText())
        .isEqualTo("a\"b");

    String both =
        "{\"model\":\"gemini-2.5-flash\",\"guided_choice\":[\"a\"],\"response_format\":"
            + "{\"type\":\"json_object\"},\"messages\":[]}";
    assertThatThrownBy(
            () ->
                new ChatCompletionsToGeminiTranslator()
                    .request(
                        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, both),
                        TranslatorHarness.plan(VERTEX, null, GCP)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("only one of response_format, guided_choice");
  }

  /** The text a client of {@code chat} reads when Gemini streams {@code texts}, one per event. */
  private static String streamedText(String chat, String... texts) throws Exception {
    var t = new ChatCompletionsToGeminiTranslator();
    t.request(
        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, chat),
        TranslatorHarness.plan(VERTEX, null, GCP));
    t.responseHeaders(200, Map.of("content-type", "text/event-stream"));
    StringBuilder sse = new StringBuilder();
    for (String text : texts) {
      ObjectNode event = JsonNodeFactory.instance.objectNode();
      event
          .putArray("candidates")
          .addObject()
          .putObject("content")
          .put("role", "model")
          .putArray("parts")
          .addObject()
          .put("text", text);
      sse.append("data: ").append(event).append("\n\n");
    }
    String out = TranslatorHarness.feed(t, sse.toString().getBytes(StandardCharsets.UTF_8), 40, 90);
    StringBuilder text = new StringBuilder();
    for (String line : out.split("\n")) {
      if (line.startsWith("data: {")) {
        text.append(json(line.substring(6)).at("/choices/0/delta/content").asText(""));
      }
    }
    return text.toString();
  }

  /**
   * The answer (or the first chunk of the stream) to {@code chat} when Gemini says {@code gemini}.
   */
  private static JsonNode guidedAnswer(String chat, boolean stream, String gemini)
      throws Exception {
    var t = new ChatCompletionsToGeminiTranslator();
    t.request(
        TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, chat),
        TranslatorHarness.plan(VERTEX, null, GCP));
    t.responseHeaders(
        200, Map.of("content-type", stream ? "text/event-stream" : "application/json"));
    String body = stream ? "data: " + gemini + "\n\n" : gemini;
    String out = TranslatorHarness.feed(t, body.getBytes(StandardCharsets.UTF_8));
    return json(stream ? out.substring(6, out.indexOf("\n\n")) : out);
  }

  @Test
  void safetyRatingsGroundingAndLogprobsReachTheClientBufferedAndStreamed() throws Exception {
    String candidate =
        "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hé\"}]},\"finishReason\":\"STOP\","
            + "\"safetyRatings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"probability\":\"NEGLIGIBLE\"}],"
            + "\"groundingMetadata\":{\"webSearchQueries\":[\"q\"]},"
            + "\"logprobsResult\":{\"chosenCandidates\":[{\"token\":\"Hé\",\"logProbability\":-0.5}],"
            + "\"topCandidates\":[{\"candidates\":[{\"token\":\"Hé\",\"logProbability\":-0.5},"
            + "{\"token\":\"Hi\",\"logProbability\":-1.25}]}]}}";
    String response = "{\"responseId\":\"r1\",\"candidates\":[" + candidate + "]}";
    JsonNode choice =
        json(TranslatorHarness.feed(started(false), response.getBytes(StandardCharsets.UTF_8)))
            .at("/choices/0");
    assertThat(choice.at("/message/safety_ratings/0/category").asText())
        .isEqualTo("HARM_CATEGORY_HARASSMENT");
    assertThat(choice.at("/message/grounding_metadata/webSearchQueries/0").asText()).isEqualTo("q");
    assertThat(choice.get("logprobs"))
        .isEqualTo(
            json(
                "{\"content\":[{\"token\":\"Hé\",\"bytes\":[72,195,169],\"logprob\":-0.5,\"top_logprobs\":"
                    + "[{\"token\":\"Hé\",\"bytes\":[72,195,169],\"logprob\":-0.5},"
                    + "{\"token\":\"Hi\",\"bytes\":[72,105],\"logprob\":-1.25}]}]}"));

    String sse = "data: " + response + "\n\n";
    String streamed = TranslatorHarness.feed(started(true), sse.getBytes(StandardCharsets.UTF_8));
    JsonNode chunk = json(streamed.substring(6, streamed.indexOf("\n\n"))).at("/choices/0");
    assertThat(chunk.at("/delta/safety_ratings/0/probability").asText()).isEqualTo("NEGLIGIBLE");
    assertThat(chunk.at("/delta/grounding_metadata/webSearchQueries/0").asText()).isEqualTo("q");
    assertThat(chunk.get("logprobs")).isEqualTo(choice.get("logprobs"));
    assertThat(chunk.get("finish_reason").asText()).isEqualTo("stop");
  }

  @ParameterizedTest
  @MethodSource("requests")
  void translatesTheRequestFieldByField(Case c) throws Exception {
    UpstreamRequest upstream =
        new ChatCompletionsToGeminiTranslator()
            .request(
                TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, c.openAi()),
                TranslatorHarness.plan(VERTEX, null, GCP));
    assertThat(TranslatorHarness.body(upstream)).isEqualTo(json(c.gemini()));
  }

  private static JsonNode thinkingConfig(String model, String effort) throws Exception {
    String chat =
        "{\"model\":\""
            + model
            + "\",\"reasoning_effort\":\""
            + effort
            + "\",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512},\"messages\":[]}";
    return TranslatorHarness.body(
            new ChatCompletionsToGeminiTranslator()
                .request(
                    TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, chat),
                    TranslatorHarness.plan(VERTEX, null, GCP)))
        .at("/generationConfig/thinkingConfig");
  }

  @Test
  void reasoningEffortSetsGemini3sThinkingLevelWithinWhatEachModelTakes() throws Exception {
    assertThat(thinkingConfig("gemini-3-flash-preview", "minimal").toString())
        .as("a level, and no budget next to it, which Gemini 3 would refuse")
        .isEqualTo("{\"includeThoughts\":true,\"thinkingLevel\":\"MINIMAL\"}");
    assertThat(thinkingConfig("gemini-3-pro-preview", "minimal").path("thinkingLevel").asText())
        .isEqualTo("LOW");
    assertThat(thinkingConfig("gemini-3-flash-preview", "medium").path("thinkingLevel").asText())
        .isEqualTo("MEDIUM");
    assertThat(thinkingConfig("gemini-3-pro-preview", "medium").path("thinkingLevel").asText())
        .isEqualTo("HIGH");
    assertThat(thinkingConfig("gemini-3-pro-preview", "low").path("thinkingLevel").asText())
        .isEqualTo("LOW");
    assertThat(thinkingConfig("gemini-3-pro-preview", "high").path("thinkingLevel").asText())
        .isEqualTo("HIGH");
    assertThat(thinkingConfig("gemini-2.5-pro", "high").toString())
        .as("earlier models think by budget")
        .isEqualTo("{\"includeThoughts\":true,\"thinkingBudget\":512}");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> thinkingConfig("gemini-3-pro-preview", "none"))
        .isInstanceOf(io.aigw.extproc.translate.InvalidRequestException.class)
        .hasMessageContaining("not supported by Gemini 3 Pro");
  }

  @Test
  void pathsCarryProjectRegionAndTheStreamingVerb() throws Exception {
    UpstreamRequest streamed =
        new ChatCompletionsToGeminiTranslator()
            .request(
                TranslatorHarness.parse(
                    Endpoint.CHAT_COMPLETIONS,
                    "{\"model\":\"gemini-1.5-pro\",\"stream\":true,\"messages\":[]}"),
                TranslatorHarness.plan(VERTEX, null, GCP));
    assertThat(streamed.path())
        .isEqualTo(
            "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-1.5-pro:streamGenerateContent?alt=sse");
  }

  @ParameterizedTest
  @CsvSource({
    "STOP,false,stop",
    "STOP,true,tool_calls",
    "MAX_TOKENS,false,length",
    "SAFETY,false,content_filter",
    "RECITATION,false,recitation",
    "OTHER,false,error"
  })
  void mapsFinishReasons(String gemini, boolean tools, String openAi) {
    assertThat(ChatCompletionsToGeminiTranslator.finishReason(gemini, tools)).isEqualTo(openAi);
  }

  private static ChatCompletionsToGeminiTranslator started(boolean stream) throws Exception {
    return started(stream, stream);
  }

  /** Answered 200; a stream whose client asked for usage ({@code include_usage}) or not. */
  private static ChatCompletionsToGeminiTranslator started(boolean stream, boolean usage)
      throws Exception {
    var t = new ChatCompletionsToGeminiTranslator();
    t.request(
        TranslatorHarness.parse(
            Endpoint.CHAT_COMPLETIONS,
            "{\"model\":\"gemini-2.5-pro\",\"stream\":"
                + stream
                + ",\"stream_options\":{\"include_usage\":"
                + usage
                + "},\"messages\":[]}"),
        TranslatorHarness.plan(VERTEX, null, GCP));
    t.responseHeaders(
        200, Map.of("content-type", stream ? "text/event-stream" : "application/json"));
    return t;
  }

  @Test
  void aBufferedAnswerCountsThoughtsAsOutputAndReasoning() throws Exception {
    var t = started(false);
    String response =
        "{\"responseId\":\"r1\",\"modelVersion\":\"gemini-2.5-pro-001\",\"candidates\":[{\"content\":{\"role\":\"model\","
            + "\"parts\":[{\"text\":\"think\",\"thought\":true},{\"text\":\"Hello\"}]},\"finishReason\":\"STOP\"}],"
            + "\"usageMetadata\":{\"promptTokenCount\":15,\"candidatesTokenCount\":10,\"thoughtsTokenCount\":10,"
            + "\"totalTokenCount\":35,\"cachedContentTokenCount\":10}}";
    JsonNode out = json(TranslatorHarness.feed(t, response.getBytes(StandardCharsets.UTF_8)));
    assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("Hello");
    assertThat(out.at("/choices/0/message/reasoning_content").asText()).isEqualTo("think");
    assertThat(out.get("usage"))
        .isEqualTo(
            json(
                "{\"prompt_tokens\":15,\"completion_tokens\":20,\"total_tokens\":35,\"prompt_tokens_details\":{\"cached_tokens\":10},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":10}}"));
    assertThat(t.responseModel()).hasValue("gemini-2.5-pro-001");
  }

  @Test
  void thoughtSignaturesComeBackAsThinkingBlocksBufferedAndStreamed() throws Exception {
    String parts =
        "[{\"text\":\"plan\",\"thought\":true,\"thoughtSignature\":\"c2lnMQ==\"},"
            + "{\"functionCall\":{\"name\":\"w\",\"args\":{}},\"thoughtSignature\":\"c2lnMg==\"},"
            + "{\"functionCall\":{\"name\":\"w\",\"args\":{}}}]";
    String response =
        "{\"responseId\":\"r1\",\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":"
            + parts
            + "},\"finishReason\":\"STOP\"}]}";
    JsonNode message =
        json(TranslatorHarness.feed(started(false), response.getBytes(StandardCharsets.UTF_8)))
            .at("/choices/0/message");
    String blocks =
        "[{\"type\":\"thinking\",\"thinking\":\"plan\",\"signature\":\"c2lnMQ==\"},"
            + "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"c2lnMg==\"}]";
    assertThat(message.get("thinking_blocks")).isEqualTo(json(blocks));

    String sse = "data: " + response + "\n\n";
    String streamed = TranslatorHarness.feed(started(true), sse.getBytes(StandardCharsets.UTF_8));
    assertThat(streamed).contains("\"thinking_blocks\":" + blocks);

    // sent back as the client got it, the call carries the signature it came with
    String next =
        "{\"model\":\"gemini-3-pro-preview\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"thinking_blocks\":"
            + blocks
            + ",\"tool_calls\":[{\"id\":\"call_0\",\"type\":\"function\",\"function\":{\"name\":\"w\","
            + "\"arguments\":\"{}\"}}]}]}";
    JsonNode sent =
        TranslatorHarness.body(
            new ChatCompletionsToGeminiTranslator()
                .request(
                    TranslatorHarness.parse(Endpoint.CHAT_COMPLETIONS, next),
                    TranslatorHarness.plan(VERTEX, null, GCP)));
    assertThat(sent.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo("c2lnMg==");
  }

  @Test
  void aStreamBecomesChunksWithOneUsageChunkBeforeDoneWhereverItIsCut() throws Exception {
    String sse =
        "data:"
            + " {\"responseId\":\"r\",\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}]}}]}\r\n\r\n"
            + "data:"
            + " {\"responseId\":\"r\",\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4,\"totalTokenCount\":7}}\r\n\r\n";
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    String whole = TranslatorHarness.feed(started(true), bytes);
    assertThat(whole.split("\n\n")).hasSize(4);
    assertThat(whole).contains("\"content\":\"Hel\"").contains("\"finish_reason\":\"tool_calls\"");
    assertThat(whole)
        .contains("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}");
    assertThat(whole).endsWith("data: [DONE]\n\n");
    for (int cut = 1; cut < bytes.length; cut++) {
      assertThat(TranslatorHarness.feed(started(true), bytes, cut)).isEqualTo(whole);
    }
  }

  @Test
  void aLastEventWithoutItsBlankLineIsReadWhateverItsLines() throws Exception {
    // the last event's data split over two lines, and the stream closed without the blank line
    String sse =
        "data: {\"responseId\":\"r\",\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\n"
            + "data: \"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,"
            + "\"candidatesTokenCount\":4,\"totalTokenCount\":7}}";
    String out = TranslatorHarness.feed(started(true), sse.getBytes(StandardCharsets.UTF_8), 30);
    assertThat(out).contains("\"content\":\"Hi\"").contains("\"finish_reason\":\"stop\"");
    assertThat(out)
        .contains("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}");
    assertThat(out).endsWith("data: [DONE]\n\n");
  }

  @Test
  void aBlockedPromptIsACompletionWithoutChoicesThatStillReportsUsage() throws Exception {
    var t = started(false);
    String response =
        "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":"
            + "{\"promptTokenCount\":12,\"totalTokenCount\":12,\"trafficType\":\"ON_DEMAND\"},"
            + "\"modelVersion\":\"gemini-2.5-pro\",\"createTime\":\"2025-07-01T10:15:30.123456Z\","
            + "\"responseId\":\"blk\"}";
    JsonNode out = json(TranslatorHarness.feed(t, response.getBytes(StandardCharsets.UTF_8)));
    assertThat(out.get("object").asText()).isEqualTo("chat.completion");
    assertThat(out.get("id").asText()).isEqualTo("blk");
    assertThat(out.get("choices")).isEmpty();
    assertThat(out.at("/usage/prompt_tokens").asInt()).isEqualTo(12);
    assertThat(out.get("created").asLong()).isEqualTo(1751364930L);
    assertThat(t.usage().inputOrZero()).isEqualTo(12);
  }

  @Test
  void streamedCandidatesKeepTheirChoiceIndex() throws Exception {
    String sse =
        "data: {\"responseId\":\"r\",\"candidates\":[{\"index\":0,\"content\":{\"parts\":[{\"text\":\"A\"}]}},"
            + "{\"index\":1,\"content\":{\"parts\":[{\"text\":\"B\"}]}}]}\r\n\r\n"
            + "data: {\"responseId\":\"r\",\"candidates\":[{\"index\":1,\"content\":{\"parts\":[{\"text\":\"b\"}]},"
            + "\"finishReason\":\"STOP\"}]}\r\n\r\n";
    String whole = TranslatorHarness.feed(started(true), sse.getBytes(StandardCharsets.UTF_8));
    Map<Integer, StringBuilder> texts = new java.util.TreeMap<>();
    for (String event : whole.split("\n\n")) {
      if (event.startsWith("data: {")) {
        for (JsonNode choice : json(event.substring(6)).path("choices")) {
          texts
              .computeIfAbsent(choice.path("index").asInt(), i -> new StringBuilder())
              .append(choice.at("/delta/content").asText());
        }
      }
    }
    assertThat(texts).hasSize(2);
    assertThat(texts.get(0).toString()).isEqualTo("A");
    assertThat(texts.get(1).toString()).isEqualTo("Bb");
  }

  @Test
  void vertexErrorsTakeTheirStatusName() {
    var t = new ChatCompletionsToGeminiTranslator();
    t.responseHeaders(400, Map.of("content-type", "application/json"));
    assertThat(
            json(
                TranslatorHarness.error(
                    t,
                    400,
                    "{\"error\":{\"code\":400,\"message\":\"Invalid request: missing required"
                        + " field\",\"status\":\"INVALID_ARGUMENT\"}}")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"INVALID_ARGUMENT\",\"code\":\"400\",\"message\":\"Invalid"
                    + " request: missing required field\"}}"));
  }
}
