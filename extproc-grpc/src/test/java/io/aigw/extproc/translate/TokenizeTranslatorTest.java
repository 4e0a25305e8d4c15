package io.aigw.extproc.translate;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * vLLM's {@code /tokenize} on Gemini, Claude on Vertex and Bedrock, and Bedrock's Converse models:
 * the chat counted as the provider counts it, the count answered in vLLM's shape.
 */
class TokenizeTranslatorTest {

  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"Hello!\"}],\"add_generation_prompt\":true}";
  private static final String PROMPT = "{\"model\":\"m\",\"prompt\":\"Hello there\"}";
  private static final String WITH_TOOLS =
      CHAT.substring(0, CHAT.length() - 1)
          + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]}";

  private static Translator translator(ApiSchema.Name schema) {
    return TranslatorFactory.create(Endpoint.TOKENIZE, new ApiSchema(schema, null, null))
        .orElseThrow();
  }

  private static UpstreamRequest request(
      Translator translator, ApiSchema.Name schema, String body, String model, BackendAuth auth)
      throws Exception {
    return translator.request(
        TranslatorHarness.parse(Endpoint.TOKENIZE, body),
        TranslatorHarness.plan(new ApiSchema(schema, null, null), model, auth));
  }

  private static String answer(Translator translator, String providerAnswer) {
    translator.responseHeaders(200, Map.of("content-type", "application/json"));
    return TranslatorHarness.feed(translator, providerAnswer.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void geminiCountsTheContentsAndSystemInstructionItWouldBeSent() throws Exception {
    Translator t = translator(ApiSchema.Name.GCPVertexAI);
    UpstreamRequest upstream =
        request(
            t,
            ApiSchema.Name.GCPVertexAI,
            CHAT,
            "gemini-2.5-flash",
            new BackendAuth.Gcp("proj", "us-central1", null, null));
    assertThat(upstream.path())
        .isEqualTo(
            "/v1/projects/proj/locations/us-central1/publishers/google/models/"
                + "gemini-2.5-flash:countTokens");
    JsonNode body = TranslatorHarness.body(upstream);
    assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Hello!");
    assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
    assertThat(body.has("generationConfig")).isFalse();
    assertThat(body.has("tools")).as("no tools, no null").isFalse();

    assertThat(json(answer(t, "{\"totalTokens\":9,\"totalBillableCharacters\":20}")))
        .isEqualTo(json("{\"count\":9,\"max_model_len\":0,\"tokens\":[]}"));
    assertThat(t.usage().input()).hasValue(9);
    assertThat(t.usage().total()).isEmpty();
    assertThat(t.responseModel()).hasValue("gemini-2.5-flash");

    // Vertex leaves a zero out; its tools are counted too
    Translator tools = translator(ApiSchema.Name.GCPVertexAI);
    UpstreamRequest withTools =
        request(
            tools,
            ApiSchema.Name.GCPVertexAI,
            WITH_TOOLS,
            "gemini-2.5-flash",
            new BackendAuth.Gcp("proj", "us-central1", null, null));
    assertThat(
            TranslatorHarness.body(withTools).at("/tools/0/functionDeclarations/0/name").asText())
        .isEqualTo("weather");
    assertThat(json(answer(tools, "{}")).path("count").asLong()).isZero();
  }

  @Test
  void claudeOnVertexCountsTheMessagesRequestAPromptBecomesAUserMessage() throws Exception {
    Translator t = translator(ApiSchema.Name.GCPAnthropic);
    UpstreamRequest upstream =
        request(
            t,
            ApiSchema.Name.GCPAnthropic,
            PROMPT,
            "claude-sonnet-4-5@20250929",
            new BackendAuth.Gcp("proj", "us-east5", null, null));
    assertThat(upstream.path()).endsWith("/publishers/anthropic/models/count-tokens:rawPredict");
    JsonNode body = TranslatorHarness.body(upstream);
    // the count refuses the settings of an answer (max_tokens, sampling) as extra inputs
    List<String> keys = new java.util.ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("messages", "model", "anthropic_version");
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/messages/0/content").toString()).contains("Hello there");
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5@20250929");
    assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    assertThat(json(answer(t, "{\"input_tokens\":11}")))
        .isEqualTo(json("{\"count\":11,\"max_model_len\":0,\"tokens\":[]}"));
  }

  @Test
  void claudeOnBedrockCountsTheInvokeRequestOfTheFoundationModel() throws Exception {
    Translator t = translator(ApiSchema.Name.AWSAnthropic);
    UpstreamRequest upstream =
        request(t, ApiSchema.Name.AWSAnthropic, CHAT, "us.anthropic.claude-sonnet-4-5", null);
    assertThat(upstream.path()).isEqualTo("/model/anthropic.claude-sonnet-4-5/count-tokens");
    JsonNode invoke =
        json(
            new String(
                Base64.getDecoder()
                    .decode(
                        TranslatorHarness.body(upstream).at("/input/invokeModel/body").asText()),
                StandardCharsets.UTF_8));
    assertThat(invoke.at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(invoke.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
    assertThat(json(answer(t, "{\"inputTokens\":12}")).path("count").asLong()).isEqualTo(12);
  }

  @Test
  void converseModelsCountTheConverseFormOfTheChatWithItsTools() throws Exception {
    Translator t = translator(ApiSchema.Name.AWSBedrock);
    UpstreamRequest upstream =
        request(
            t, ApiSchema.Name.AWSBedrock, WITH_TOOLS, "global.anthropic.claude-sonnet-4-5", null);
    assertThat(upstream.path()).isEqualTo("/model/anthropic.claude-sonnet-4-5/count-tokens");
    JsonNode converse = TranslatorHarness.body(upstream).at("/input/converse");
    assertThat(converse.at("/messages/0/content/0/text").asText()).isEqualTo("Hello!");
    assertThat(converse.at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(converse.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("weather");
    assertThat(converse.has("inferenceConfig")).isFalse();
    assertThat(json(answer(t, "{\"inputTokens\":7}")).path("count").asLong()).isEqualTo(7);
    assertThat(t.usage().input()).hasValue(7);
  }

  @Test
  void aRequestWithNeitherMessagesNorATextPromptIsRefused() {
    Translator t = translator(ApiSchema.Name.GCPVertexAI);
    for (String body :
        List.of("{\"model\":\"m\",\"prompt\":[1,2,3]}", "{\"model\":\"m\",\"prompt\":\"\"}")) {
      assertThatThrownBy(
              () ->
                  request(
                      t,
                      ApiSchema.Name.GCPVertexAI,
                      body,
                      null,
                      new BackendAuth.Gcp("p", "r", null, null)))
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(
              e ->
                  assertThat(((InvalidRequestException) e).code())
                      .isEqualTo("unsupported_for_backend"));
    }
  }

  @Test
  void anAnswerThatIsNoCountIsUnreadableAndAProvidersErrorIsOpenAiShaped() throws Exception {
    Translator t = translator(ApiSchema.Name.AWSBedrock);
    request(t, ApiSchema.Name.AWSBedrock, CHAT, "amazon.nova-pro-v1:0", null);
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    ResponseChunk chunk = t.responseBody("{\"count\":3}".getBytes(StandardCharsets.UTF_8), true);
    assertThat(chunk.unreadable()).hasValue("the provider's answer is not a token count");

    Translator refused = translator(ApiSchema.Name.AWSBedrock);
    request(refused, ApiSchema.Name.AWSBedrock, CHAT, "amazon.nova-pro-v1:0", null);
    refused.responseHeaders(
        400, Map.of("content-type", "application/json", "x-amzn-errortype", "ValidationException"));
    ResponseChunk error =
        refused.errorBody(
            400, "{\"message\":\"bad input\"}".getBytes(StandardCharsets.UTF_8), true);
    JsonNode shaped = json(new String(error.replacement().orElseThrow(), StandardCharsets.UTF_8));
    assertThat(shaped.at("/error/message").asText()).contains("bad input");
  }

  @Test
  void otherBackendsStillDoNotServeTokenize() {
    assertThat(
            TranslatorFactory.create(
                Endpoint.TOKENIZE, new ApiSchema(ApiSchema.Name.AzureOpenAI, null, null)))
        .isEmpty();
    assertThat(
            TranslatorFactory.create(
                Endpoint.TOKENIZE, new ApiSchema(ApiSchema.Name.Anthropic, null, null)))
        .isEmpty();
  }
}
