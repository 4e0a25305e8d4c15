package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.nio.charset.StandardCharsets;

/**
 * vLLM's {@code /tokenize} for backends that count tokens without tokenizing: the request, in
 * either of vLLM's forms, as the chat request the backend's own translation counts, and the count
 * answered in vLLM's shape.
 */
public final class TokenizeRequests {

  private TokenizeRequests() {}

  /**
   * The chat request {@code request} asks to count: its {@code messages} (and {@code tools}), or
   * its {@code prompt} as one user message.
   *
   * @throws InvalidRequestException (a 422) for a body with neither, or a prompt of token ids,
   *     which only a tokenizer can count
   */
  public static ObjectNode chat(ParsedRequest request) throws InvalidRequestException {
    ObjectNode body = ChatRequests.tree(request);
    JsonNode messages = body.get("messages");
    if (messages != null && messages.isArray()) {
      return body;
    }
    JsonNode prompt = body.get("prompt");
    if (prompt == null || !prompt.isTextual()) {
      throw ChatRequests.unsupported(
          "a tokenize request to this backend needs messages, or a prompt that is text");
    }
    if (prompt.asText().isEmpty()) {
      // the providers refuse an empty text rather than count it
      throw ChatRequests.unsupported("an empty prompt has no tokens to count");
    }
    ObjectNode chat = OpenAiJson.MAPPER.createObjectNode();
    chat.put("model", request.model());
    chat.putArray("messages").addObject().put("role", "user").put("content", prompt.asText());
    return chat;
  }

  /**
   * vLLM's answer for a count: {@code count}, with no tokens and no model length, since the
   * provider counted without telling either.
   */
  public static byte[] answer(long count) {
    ObjectNode answer = OpenAiJson.MAPPER.createObjectNode();
    answer.put("count", count);
    answer.put("max_model_len", 0);
    answer.putArray("tokens");
    return answer.toString().getBytes(StandardCharsets.UTF_8);
  }
}
