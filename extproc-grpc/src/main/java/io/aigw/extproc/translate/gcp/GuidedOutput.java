package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;

/**
 * vLLM's guided decoding options as Gemini's constrained output: {@code guided_choice} is an enum
 * ({@code text/x.enum}), {@code guided_regex} a JSON string with that pattern, {@code guided_json}
 * a JSON Schema. Only one way of shaping the output may be asked for, {@code response_format}
 * included. Gemini answers a regex as a JSON string and may pad an enum value, which the client did
 * not ask for: {@link #clean} and {@link GuidedStream} give the answer as it was asked for.
 */
enum GuidedOutput {
  NONE,
  CHOICE,
  REGEX,
  JSON;

  private static final String[] OPTIONS = {
    "response_format", "guided_choice", "guided_regex", "guided_json"
  };

  /** Which guided option {@code chat} asks for; 422 when it asks for more than one shape. */
  static GuidedOutput of(JsonNode chat) throws InvalidRequestException {
    int given = 0;
    for (String option : OPTIONS) {
      if (chat.hasNonNull(option)) {
        given++;
      }
    }
    if (given > 1) {
      throw ChatRequests.unsupported(
          "only one of response_format, guided_choice, guided_regex and guided_json may be given");
    }
    if (chat.hasNonNull("guided_choice")) {
      return CHOICE;
    }
    if (chat.hasNonNull("guided_regex")) {
      return REGEX;
    }
    return chat.hasNonNull("guided_json") ? JSON : NONE;
  }

  /** Sets the output constraint of this option into {@code config}. */
  void constrain(JsonNode chat, ObjectNode config, boolean takesJsonSchema)
      throws InvalidRequestException {
    switch (this) {
      case CHOICE -> {
        JsonNode choices = chat.get("guided_choice");
        if (!choices.isArray() || choices.isEmpty()) {
          throw ChatRequests.unsupported("guided_choice must be a list of strings");
        }
        config.put("responseMimeType", "text/x.enum");
        ObjectNode schema = config.putObject("responseSchema").put("type", "STRING");
        schema.putArray("enum").addAll((ArrayNode) choices);
      }
      case REGEX -> {
        config.put("responseMimeType", "application/json");
        config
            .putObject("responseSchema")
            .put("type", "STRING")
            .put("pattern", chat.get("guided_regex").asText());
      }
      case JSON -> {
        JsonNode schema = chat.get("guided_json");
        if (!schema.isObject()) {
          throw ChatRequests.unsupported("guided_json must be a JSON schema object");
        }
        config.put("responseMimeType", "application/json");
        if (takesJsonSchema) {
          config.set("responseJsonSchema", schema);
        } else {
          config.set("responseSchema", GeminiSchema.of(schema));
        }
      }
      case NONE -> {
        // the output is not guided
      }
    }
  }

  /** A whole answer's text as the client asked for it (see {@link GuidedStream}). */
  String clean(String text) {
    return new GuidedStream(this).next(text);
  }
}
