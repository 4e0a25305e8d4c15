package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A JSON Schema as the Gemini models before 2.5 take one ({@code parameters}, {@code
 * responseSchema}): Vertex's {@code Schema}, an OpenAPI subset that refuses any field it does not
 * know. OpenAI's SDKs write strict schemas with {@code additionalProperties: false}, {@code
 * ["string","null"]} types and {@code $defs}, all of which those models answer 400; so {@code
 * $ref}s are inlined, a type list becomes a type and {@code nullable} (or {@code anyOf}), {@code
 * oneOf} is taken as {@code anyOf}, {@code const} as a one-value {@code enum}, and the fields
 * {@code Schema} has no place for are left out.
 */
final class GeminiSchema {

  private static final JsonNodeFactory F = OpenAiJson.MAPPER.getNodeFactory();

  /** The fields of Vertex's {@code Schema} besides those converted one by one. */
  private static final Set<String> KEPT =
      Set.of(
          "default",
          "description",
          "example",
          "format",
          "maxItems",
          "maxLength",
          "maxProperties",
          "maximum",
          "minItems",
          "minLength",
          "minProperties",
          "minimum",
          "nullable",
          "pattern",
          "propertyOrdering",
          "required",
          "title");

  /** Deeper than any schema a person writes; a bound so a hostile one cannot exhaust the stack. */
  private static final int MAX_DEPTH = 64;

  /**
   * More nodes than a tool's parameters have; a bound on what inlining {@code $ref}s may produce,
   * since a 2 KB schema whose definitions each refer to the next several times expands
   * exponentially (fourteen levels of four exhausted a 512 MB heap).
   */
  static final int MAX_NODES = 10_000;

  /** The formats Vertex's {@code Schema} takes; another is left out rather than refused by it. */
  private static final Set<String> FORMATS =
      Set.of("enum", "date-time", "float", "double", "int32", "int64");

  private int nodes;

  private final JsonNode root;

  /** The {@code $ref}s being inlined, outermost first: one met again is a recursive schema. */
  private final Deque<String> expanding = new ArrayDeque<>();

  private GeminiSchema(JsonNode root) {
    this.root = root;
  }

  /** {@code schema} in Vertex's {@code Schema} shape. */
  static ObjectNode of(JsonNode schema) throws InvalidRequestException {
    return new GeminiSchema(schema).convert(schema, 0);
  }

  private ObjectNode convert(JsonNode schema, int depth) throws InvalidRequestException {
    if (depth > MAX_DEPTH) {
      throw ChatRequests.unsupported("the JSON schema is nested too deeply");
    }
    if (++nodes > MAX_NODES) {
      throw ChatRequests.unsupported(
          "the JSON schema has more than " + MAX_NODES + " nodes once its $refs are inlined");
    }
    if (!schema.isObject()) {
      throw ChatRequests.unsupported("a JSON schema must be an object, not " + schema);
    }
    if (schema.path("$ref").isTextual()) {
      return inline(schema.get("$ref").asText(), depth);
    }
    ObjectNode out = F.objectNode();
    for (var field : schema.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "type" -> type(value, out);
        case "properties" -> out.set("properties", properties(value, depth));
        case "items" -> {
          if (value.isObject()) {
            out.set("items", convert(value, depth + 1));
          }
        }
        case "anyOf", "oneOf" -> anyOf(value, out, depth);
        case "allOf" -> allOf(value, out, depth);
        case "enum" -> enumeration(value, out);
        case "const" -> constant(value, out);
        case "format" -> {
          if (FORMATS.contains(value.asText())) {
            out.set("format", value);
          }
        }
        default -> {
          if (KEPT.contains(name)) {
            out.set(name, value);
          }
        }
      }
    }
    // Vertex takes an enum on strings only, and not an empty one: such values are left out
    if (out.has("enum")
        && (!"STRING".equals(out.path("type").asText("STRING")) || out.get("enum").isEmpty())) {
      out.remove("enum");
    }
    if (out.has("enum") && !out.has("type")) {
      out.put("type", "STRING");
    }
    return out;
  }

  /** {@code const}: a string is a one-value enum; another value only gives its type. */
  private static void constant(JsonNode value, ObjectNode out) {
    if (value.isTextual()) {
      out.putArray("enum").add(value.asText());
    } else if (value.isIntegralNumber()) {
      out.put("type", "INTEGER");
    } else if (value.isNumber()) {
      out.put("type", "NUMBER");
    } else if (value.isBoolean()) {
      out.put("type", "BOOLEAN");
    }
  }

  private ObjectNode inline(String ref, int depth) throws InvalidRequestException {
    if (!ref.equals("#") && !ref.startsWith("#/")) {
      throw ChatRequests.unsupported(
          "the JSON schema's $ref " + ref + " is not a pointer into the schema (#/…)");
    }
    if (expanding.contains(ref)) {
      throw ChatRequests.unsupported(
          "the JSON schema is recursive (" + ref + "), which Gemini before 2.5 cannot take");
    }
    JsonNode target = root.at(ref.substring(1));
    if (target.isMissingNode()) {
      throw ChatRequests.unsupported("the JSON schema's " + ref + " is not in it");
    }
    expanding.push(ref);
    try {
      return convert(target, depth + 1);
    } finally {
      expanding.pop();
    }
  }

  /**
   * {@code ["string","null"]} is a nullable string; several types are an {@code anyOf}. Types are
   * written as Vertex's {@code Type} enum names ({@code STRING}, {@code OBJECT}, ...).
   */
  private static void type(JsonNode value, ObjectNode out) {
    if (!value.isArray()) {
      out.put("type", typeName(value));
      return;
    }
    List<String> types = new ArrayList<>();
    for (JsonNode type : value) {
      if ("null".equals(type.asText())) {
        out.put("nullable", true);
      } else {
        types.add(typeName(type));
      }
    }
    if (types.size() == 1) {
      out.put("type", types.get(0));
    } else if (types.size() > 1) {
      ArrayNode anyOf = out.putArray("anyOf");
      types.forEach(type -> anyOf.addObject().put("type", type));
    }
  }

  private static String typeName(JsonNode type) {
    return type.asText().toUpperCase(Locale.ROOT);
  }

  private ObjectNode properties(JsonNode value, int depth) throws InvalidRequestException {
    ObjectNode out = F.objectNode();
    for (var property : value.properties()) {
      out.set(property.getKey(), convert(property.getValue(), depth + 1));
    }
    return out;
  }

  /** A {@code null} alternative makes the schema nullable; a single other one is the schema. */
  private void anyOf(JsonNode value, ObjectNode out, int depth) throws InvalidRequestException {
    if (!value.isArray()) {
      throw ChatRequests.unsupported("anyOf and oneOf must be lists of schemas");
    }
    List<ObjectNode> alternatives = new ArrayList<>();
    for (JsonNode alternative : value) {
      if ("null".equals(alternative.path("type").asText())) {
        out.put("nullable", true);
      } else {
        alternatives.add(convert(alternative, depth + 1));
      }
    }
    if (alternatives.size() == 1) {
      out.setAll(alternatives.get(0));
    } else if (!alternatives.isEmpty()) {
      out.putArray("anyOf").addAll(alternatives);
    }
  }

  private void allOf(JsonNode value, ObjectNode out, int depth) throws InvalidRequestException {
    if (!value.isArray() || value.size() != 1) {
      throw ChatRequests.unsupported(
          "allOf with other than one schema is not supported by Gemini before 2.5");
    }
    out.setAll(convert(value.get(0), depth + 1));
  }

  /**
   * Vertex's {@code enum} is a list of strings; a {@code null} among the values (a nullable enum,
   * as zod writes one) is {@code nullable}, not the text "null" the model could answer.
   */
  private static void enumeration(JsonNode values, ObjectNode out) {
    ArrayNode texts = out.putArray("enum");
    for (JsonNode value : values) {
      if (value.isNull()) {
        out.put("nullable", true);
      } else {
        texts.add(text(value));
      }
    }
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }
}
