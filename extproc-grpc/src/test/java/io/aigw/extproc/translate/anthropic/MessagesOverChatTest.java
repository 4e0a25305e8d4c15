package io.aigw.extproc.translate.anthropic;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.extproc.translate.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesOverChatTest {

  @Test
  void aConversationWithToolsBecomesChatMessagesInOrder() throws Exception {
    var messages =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json(
                """
                {"model":"m","max_tokens":100,"stop_sequences":["END"],"top_k":5,
                 "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Be kind."}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"Weather?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA"}}]},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},
                    {"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_1","content":"18C","is_error":false},
                    {"type":"text","text":"Thanks"}]}]}
                """);
    // compared as read back: a long and an int of the same value are other nodes
    assertThat(json(MessagesToChatRequests.chat(messages, "m").toString()))
        .isEqualTo(
            json(
                """
                {"model":"m","messages":[
                  {"role":"system","content":"Be brief.\\n\\nBe kind."},
                  {"role":"user","content":[{"type":"text","text":"Weather?"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,AAA"}}]},
                  {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1",
                    "type":"function","function":{"name":"get_weather",
                    "arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
                  {"role":"user","content":[{"type":"text","text":"Thanks"}]}],
                 "max_completion_tokens":100,"stop":["END"],
                 "tools":[{"type":"function","function":{"name":"get_weather",
                   "parameters":{"type":"object"}}}],
                 "tool_choice":"required","parallel_tool_calls":false}
                """));
  }

  @Test
  void anthropicsOwnToolsCannotBeCalledThroughChatCompletions() {
    var messages =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json(
                "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],\"tools\":[{\"type\":"
                    + "\"web_search_20250305\",\"name\":\"web_search\"}]}");
    assertThatThrownBy(() -> MessagesToChatRequests.chat(messages, "m"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("web_search_20250305");
  }

  /** The event types a stream of {@code chunks} becomes, with [DONE] or not. */
  private static List<String> events(boolean done, String... chunks) {
    ChatStreamToMessages stream = new ChatStreamToMessages("m");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String chunk : chunks) {
      stream.chunk(json(chunk), out);
    }
    if (done) {
      stream.finish(out);
    }
    stream.finish(out);
    List<String> types = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ")) {
        var event = json(line.substring(6));
        String type = event.path("type").asText();
        String detail =
            event.has("content_block")
                ? ":" + event.at("/content_block/type").asText()
                : event.has("delta") && event.at("/delta/type").isTextual()
                    ? ":" + event.at("/delta/type").asText()
                    : "";
        types.add(type + detail);
      }
    }
    return types;
  }

  @Test
  void reasoningTextAndEachToolCallAreBlocksOfTheirOwnAndTheStreamClosesOnce() {
    assertThat(
            events(
                true,
                "{\"choices\":[{\"delta\":{\"reasoning_content\":\"hm\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\","
                    + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\","
                    + "\"function\":{\"name\":\"g\",\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"))
        .containsExactly(
            "message_start",
            "content_block_start:thinking",
            "content_block_delta:thinking_delta",
            "content_block_stop",
            "content_block_start:text",
            "content_block_delta:text_delta",
            "content_block_stop",
            "content_block_start:tool_use",
            "content_block_delta:input_json_delta",
            "content_block_stop",
            "content_block_start:tool_use",
            "content_block_stop",
            "message_delta",
            "message_stop");
    // a backend that ends without [DONE] still gets the message closed
    assertThat(events(false, "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}"))
        .containsExactly(
            "message_start",
            "content_block_start:text",
            "content_block_delta:text_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
  }

  @Test
  void anAnswerBecomesAMessageWithItsStopReasonAndUsageAsAnthropicCountsIt() {
    var message =
        ChatToMessages.message(
            json(
                "{\"id\":\"c1\",\"model\":\"m-1\",\"choices\":[{\"message\":{\"content\":null,"
                    + "\"tool_calls\":[{\"id\":\"t\",\"function\":{\"name\":\"f\","
                    + "\"arguments\":\"not json\"}}]},\"finish_reason\":\"length\"}],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":3}}}"),
            "m");
    assertThat(json(message.toString()))
        .isEqualTo(
            json(
                "{\"id\":\"c1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m-1\","
                    + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\","
                    + "\"input\":{}}],\"stop_reason\":\"max_tokens\",\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":7,\"output_tokens\":2,"
                    + "\"cache_read_input_tokens\":3}}"));
  }

  /** The events of {@code chunks}, each as its JSON. */
  private static List<com.fasterxml.jackson.databind.JsonNode> stream(String... chunks) {
    ChatStreamToMessages stream = new ChatStreamToMessages("m");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String chunk : chunks) {
      stream.chunk(json(chunk), out);
    }
    stream.finish(out);
    List<com.fasterxml.jackson.databind.JsonNode> events = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ")) {
        events.add(json(line.substring(6)));
      }
    }
    return events;
  }

  @Test
  void eachBlocksStartDeltasAndStopShareItsIndexAndToolsCalledMeanToolUse() {
    var events =
        stream(
            "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}",
            "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
            // a server that finishes a tool call with stop, as some do under a forced tool choice
            "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}");
    List<String> indexed = new ArrayList<>();
    for (var event : events) {
      if (event.has("index")) {
        indexed.add(event.path("type").asText() + "@" + event.path("index").asInt());
      }
    }
    assertThat(indexed)
        .containsExactly(
            "content_block_start@0",
            "content_block_delta@0",
            "content_block_stop@0",
            "content_block_start@1",
            "content_block_delta@1",
            "content_block_stop@1");
    assertThat(events.get(events.size() - 2).at("/delta/stop_reason").asText())
        .isEqualTo("tool_use");
  }

  @Test
  void anErrorMidStreamIsAnErrorEventNotAFinishedAnswer() {
    var events =
        stream(
            "{\"choices\":[{\"delta\":{\"content\":\"Hal\"}}]}",
            "{\"error\":{\"message\":\"CUDA out of memory\",\"type\":\"server_error\"}}",
            "{\"choices\":[{\"delta\":{\"content\":\"f\"}}]}");
    assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("error");
    assertThat(events.get(events.size() - 1).at("/error/message").asText())
        .isEqualTo("CUDA out of memory");
    assertThat(events).noneMatch(e -> e.path("type").asText().equals("message_stop"));
    assertThat(stream()).extracting(e -> e.path("type").asText()).containsExactly("error");
  }

  @Test
  void aToolsImagesGoWithTheUserAndAnAnswerCutWhileThinkingIsEmptyText() throws Exception {
    var messages =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json(
                """
                {"model":"m","max_tokens":9,"messages":[
                  {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":true,
                    "content":[{"type":"text","text":"no"},{"type":"text","text":"such file"},
                      {"type":"image","source":{"type":"url","url":"https://x/s.png"}}]}]}]}
                """);
    assertThat(json(MessagesToChatRequests.chat(messages, "m").toString()).path("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"assistant","content":""},
                 {"role":"tool","tool_call_id":"t","content":"Error: no\\nsuch file"},
                 {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/s.png"}}]}]
                """));
  }
}
