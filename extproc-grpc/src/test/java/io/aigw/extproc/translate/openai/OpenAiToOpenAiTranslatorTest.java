package io.aigw.extproc.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiToOpenAiTranslatorTest {

  private static ParsedRequest chat(boolean stream) {
    return new ParsedRequest(
        Endpoint.CHAT_COMPLETIONS,
        "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8),
        "m",
        stream,
        false);
  }

  @Test
  void putsTheBackendPrefixBeforeTheEndpoint() throws Exception {
    for (var c :
        Map.of("v1", "/v1/embeddings", "/openai/v1/", "/openai/v1/embeddings", "", "/embeddings")
            .entrySet()) {
      UpstreamRequest request =
          new OpenAiToOpenAiTranslator(Endpoint.EMBEDDINGS)
              .request(
                  chat(false),
                  new RequestPlan(
                      new ApiSchema(ApiSchema.Name.OpenAI, null, c.getKey()),
                      Optional.empty(),
                      false));
      assertThat(request.path()).isEqualTo(c.getValue());
      assertThat(request.body()).isEmpty();
    }
  }

  @Test
  void anAudioAnswerPassesUntouchedAndIsNeitherParsedNorKept() throws Exception {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.AUDIO_SPEECH);
    translator.request(
        new ParsedRequest(
            Endpoint.AUDIO_SPEECH,
            "{\"model\":\"tts-1\"}".getBytes(StandardCharsets.UTF_8),
            "tts-1",
            true,
            false),
        new RequestPlan(new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"), Optional.empty(), false));
    translator.responseHeaders(200, Map.of("content-type", "audio/mpeg"));
    // bytes that read as an event with usage, were they parsed as a stream
    byte[] frame = "data: {\"usage\":{\"prompt_tokens\":9}}\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(translator.responseBody(frame, false).replacement()).isEmpty();
    assertThat(translator.responseBody(frame, true).replacement()).isEmpty();
    assertThat(translator.usage().input()).isEmpty();
  }

  @Test
  void vllmsTokenizeIsAtTheServersRootAndItsCountIsTheInput() throws Exception {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.TOKENIZE);
    UpstreamRequest request =
        translator.request(
            new ParsedRequest(
                Endpoint.TOKENIZE,
                "{\"model\":\"m\",\"prompt\":\"Hi\"}".getBytes(StandardCharsets.UTF_8),
                "m",
                false,
                false),
            new RequestPlan(
                new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"), Optional.empty(), false));
    assertThat(request.path()).isEqualTo("/tokenize");
    translator.responseHeaders(200, Map.of("content-type", "application/json"));
    translator.responseBody(
        "{\"count\":7,\"max_model_len\":32768,\"tokens\":[1,2,3,4,5,6,7]}"
            .getBytes(StandardCharsets.UTF_8),
        true);
    assertThat(translator.usage().input()).hasValue(7);
    assertThat(translator.usage().total()).as("a count is no exchange of tokens").isEmpty();
  }

  @Test
  void keepsReadingUsageWhenTheBodyIsBufferedInPieces() {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    translator.responseHeaders(200, Map.of("content-type", "application/json"));
    byte[] body =
        "{\"model\":\"x\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":4}}"
            .getBytes(StandardCharsets.UTF_8);
    translator.responseBody(java.util.Arrays.copyOfRange(body, 0, 10), false);
    translator.responseBody(java.util.Arrays.copyOfRange(body, 10, body.length), true);
    assertThat(translator.usage().input()).hasValue(2);
    assertThat(translator.usage().total()).hasValue(4);
    assertThat(translator.responseModel()).hasValue("x");
  }

  /** A streamed chat whose usage aigw injected, started and answered 200. */
  private static OpenAiToOpenAiTranslator injectedStream() throws Exception {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    translator.request(
        chat(true),
        new RequestPlan(new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"), Optional.empty(), true));
    translator.responseHeaders(200, Map.of("content-type", "text/event-stream"));
    return translator;
  }

  @Test
  void anEmptyModelInAzuresFirstEventDoesNotHideTheRealOne() throws Exception {
    OpenAiToOpenAiTranslator translator = injectedStream();
    String stream =
        "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
            + "\"prompt_filter_results\":[]}\n\n"
            + "data: {\"id\":\"c\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    translator.responseBody(stream.getBytes(StandardCharsets.UTF_8), false);
    assertThat(translator.responseModel()).hasValue("gpt-4o-2024-08-06");

    OpenAiToOpenAiTranslator buffered = new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    buffered.responseHeaders(200, Map.of("content-type", "application/json"));
    buffered.responseBody("{\"model\":\"\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8), true);
    assertThat(buffered.responseModel()).isEmpty();
  }

  @Test
  void aLastUsageEventWithoutItsBlankLineIsCountedAndStripped() throws Exception {
    for (String end : List.of("\n", "\r\r", "")) {
      OpenAiToOpenAiTranslator translator = injectedStream();
      String content =
          "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
      String usage =
          "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":null,"
              + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}"
              + end;
      byte[] first =
          translator
              .responseBody(content.getBytes(StandardCharsets.UTF_8), false)
              .replacement()
              .orElseThrow();
      byte[] last =
          translator
              .responseBody(usage.getBytes(StandardCharsets.UTF_8), true)
              .replacement()
              .orElseThrow();
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(content);
      assertThat(last)
          .as("the injected usage chunk, ended by %s", end.isEmpty() ? "nothing" : end)
          .isEmpty();
      assertThat(translator.usage().total()).hasValue(7);
    }
  }

  @Test
  void aResponsesStreamPassesThroughAndCountsTheUsageOfItsCompletedEvent() throws Exception {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.RESPONSES);
    UpstreamRequest upstream =
        translator.request(
            new ParsedRequest(
                Endpoint.RESPONSES,
                "{\"model\":\"gpt-4.1\",\"input\":\"hi\",\"stream\":true}"
                    .getBytes(StandardCharsets.UTF_8),
                "gpt-4.1",
                true,
                false),
            new RequestPlan(
                new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"), Optional.empty(), false));
    assertThat(upstream.path()).isEqualTo("/v1/responses");
    assertThat(upstream.body()).isEmpty();
    translator.responseHeaders(200, Map.of("content-type", "text/event-stream"));
    String stream =
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
            + "{\"id\":\"resp_1\",\"model\":\"gpt-4.1-2025-04-14\",\"usage\":null}}\n\n"
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
            + "\"delta\":\"Hi\"}\n\n"
            + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":"
            + "{\"id\":\"resp_1\",\"model\":\"gpt-4.1-2025-04-14\",\"usage\":{\"input_tokens\":9,"
            + "\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":5,"
            + "\"output_tokens_details\":{\"reasoning_tokens\":3},\"total_tokens\":14}}}\n\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    assertThat(translator.responseBody(bytes, true).replacement()).isEmpty();
    assertThat(translator.responseModel()).hasValue("gpt-4.1-2025-04-14");
    assertThat(translator.usage().input()).hasValue(9);
    assertThat(translator.usage().cachedInput()).hasValue(2);
    assertThat(translator.usage().output()).hasValue(5);
    assertThat(translator.usage().reasoning()).hasValue(3);
    assertThat(translator.usage().total()).hasValue(14);
  }

  @Test
  void aResponsesInputTokenCountIsTheRequestsInputUsage() {
    OpenAiToOpenAiTranslator translator =
        new OpenAiToOpenAiTranslator(Endpoint.RESPONSES_INPUT_TOKENS);
    translator.responseHeaders(200, Map.of("content-type", "application/json"));
    translator.responseBody(
        "{\"object\":\"response.input_tokens\",\"input_tokens\":17}"
            .getBytes(StandardCharsets.UTF_8),
        true);
    assertThat(translator.usage().input()).hasValue(17);
    assertThat(translator.usage().total()).as("asking is not charged as tokens spent").isEmpty();
  }

  @Test
  void anUnreadableBodyReportsNoUsageAndPassesThrough() {
    OpenAiToOpenAiTranslator translator = new OpenAiToOpenAiTranslator(Endpoint.CHAT_COMPLETIONS);
    assertThat(
            translator
                .responseBody("not json".getBytes(StandardCharsets.UTF_8), true)
                .replacement())
        .isEmpty();
    assertThat(translator.usage().isEmpty()).isTrue();
  }

  @Test
  void recognisesAUsageObjectButNotANullUsage() {
    assertThat(OpenAiToOpenAiTranslator.hasUsageObject("{\"usage\" : {\"a\":1}}")).isTrue();
    assertThat(OpenAiToOpenAiTranslator.hasUsageObject("{\"usage\":null,\"x\":\"usage\"}"))
        .isFalse();
    assertThat(OpenAiToOpenAiTranslator.hasUsageObject("{\"text\":\"\\\"usage\\\"\",\"usage\":{}}"))
        .isTrue();
  }
}
