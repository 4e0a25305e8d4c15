package io.aigw.extproc.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.io.IOException;
import java.util.Optional;

/**
 * Applies a backend's body mutation to the upstream JSON body: top-level {@code remove} first, then
 * {@code set}. A value that reads as JSON (string in quotes, number, true/false/null, object,
 * array) is inserted as that JSON, anything else as a string.
 */
final class BodyMutator {

  private BodyMutator() {}

  /**
   * The bytes to send upstream, or empty to forward the client's body unchanged.
   *
   * @param translated the translator's body, if it replaced the client's
   * @param original the client's bytes (already known to be a JSON object)
   */
  static Optional<byte[]> upstreamBody(
      Optional<ObjectNode> translated, byte[] original, BodyMutation mutation) {
    boolean mutate = !mutation.set().isEmpty() || !mutation.remove().isEmpty();
    if (translated.isEmpty() && !mutate) {
      return Optional.empty();
    }
    ObjectNode body = translated.orElseGet(() -> readObject(original));
    if (mutate) {
      mutation.remove().forEach(body::remove);
      for (BodyMutation.Field field : mutation.set()) {
        body.set(field.path(), valueOf(field.value()));
      }
    }
    try {
      return Optional.of(OpenAiJson.MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static ObjectNode readObject(byte[] original) {
    try {
      return (ObjectNode) OpenAiJson.MAPPER.readTree(original);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed body no longer parses", e);
    }
  }

  static JsonNode valueOf(String text) {
    String trimmed = text.strip();
    if (looksLikeJson(trimmed)) {
      try {
        JsonNode parsed = OpenAiJson.MAPPER.readTree(trimmed);
        if (parsed != null && !parsed.isMissingNode()) {
          return parsed;
        }
      } catch (IOException e) {
        // not JSON after all: a string
      }
    }
    return OpenAiJson.MAPPER.getNodeFactory().textNode(text);
  }

  private static boolean looksLikeJson(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    char last = s.charAt(s.length() - 1);
    return (first == '"' && last == '"')
        || (first == '{' && last == '}')
        || (first == '[' && last == ']')
        || s.equals("true")
        || s.equals("false")
        || s.equals("null")
        || first == '-'
        || Character.isDigit(first);
  }
}
