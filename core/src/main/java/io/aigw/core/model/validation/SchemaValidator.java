package io.aigw.core.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.model.validation.Schema.ArraySchema;
import io.aigw.core.model.validation.Schema.BooleanSchema;
import io.aigw.core.model.validation.Schema.IntegerSchema;
import io.aigw.core.model.validation.Schema.ListType;
import io.aigw.core.model.validation.Schema.ObjectSchema;
import io.aigw.core.model.validation.Schema.Rule;
import io.aigw.core.model.validation.Schema.StringSchema;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one object tree against a {@link Schema} the way the API server does for a custom
 * resource: strict decoding (unknown fields), then the OpenAPI schema, then the CEL rules, each in
 * document order. Null object properties count as absent, as the API server prunes them before
 * validation. Only walks as deep as the schema, so any input tree is cheap and never makes it
 * throw.
 */
final class SchemaValidator {

  private static final Pattern DATE_TIME =
      Pattern.compile(
          "^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?)?$");

  private final List<Violation> unknown = new ArrayList<>();
  private final List<Violation> structural = new ArrayList<>();
  private final List<Violation> rules = new ArrayList<>();

  private SchemaValidator() {}

  /** Every violation of {@code node} (found at {@code path}) against {@code schema}. */
  static List<Violation> check(JsonNode node, Schema schema, String path) {
    SchemaValidator validator = new SchemaValidator();
    validator.visit(node, schema, path);
    List<Violation> all = new ArrayList<>(validator.unknown);
    all.addAll(validator.structural);
    all.addAll(validator.rules);
    return List.copyOf(all);
  }

  private void visit(JsonNode node, Schema schema, String path) {
    if (schema instanceof ObjectSchema object) {
      visitObject(node, object, path);
    } else if (schema instanceof ArraySchema array) {
      visitArray(node, array, path);
    } else if (schema instanceof StringSchema string) {
      visitString(node, string, path);
    } else if (schema instanceof IntegerSchema integer) {
      visitInteger(node, integer, path);
    } else if (schema instanceof BooleanSchema) {
      expectType(node, "boolean", path);
    }
  }

  private void visitObject(JsonNode node, ObjectSchema schema, String path) {
    if (!expectType(node, "object", path)) {
      return;
    }
    int present = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Schema property = schema.properties().get(field.getKey());
      if (property == null && !schema.preserveUnknownFields()) {
        unknown.add(Violation.unknownField(join(path, field.getKey())));
      }
      if (!field.getValue().isNull()) {
        present++;
      }
    }
    for (String name : schema.required()) {
      if (absent(node, name)) {
        structural.add(Violation.required(join(path, name)));
      }
    }
    if (schema.maxProperties() != null && present > schema.maxProperties()) {
      structural.add(Violation.tooMany(path, present, schema.maxProperties()));
    }
    if (schema.minProperties() != null && present < schema.minProperties()) {
      structural.add(
          Violation.invalid(
              path,
              Integer.toString(present),
              path + " in body should have at least " + schema.minProperties() + " properties"));
    }
    // CEL rules of a node are evaluated before those of its children, as the API server does
    applyRules(node, schema.rules(), path, "object");
    for (Map.Entry<String, Schema> property : schema.properties().entrySet()) {
      JsonNode value = node.get(property.getKey());
      if (value != null && !value.isNull()) {
        visit(value, property.getValue(), join(path, property.getKey()));
      }
    }
  }

  private void visitArray(JsonNode node, ArraySchema schema, String path) {
    if (!expectType(node, "array", path)) {
      return;
    }
    if (schema.maxItems() != null && node.size() > schema.maxItems()) {
      structural.add(Violation.tooMany(path, node.size(), schema.maxItems()));
    }
    applyRules(node, schema.rules(), path, "array");
    for (int i = 0; i < node.size(); i++) {
      visit(node.get(i), schema.items(), path + "[" + i + "]");
    }
    if (schema.listType() == ListType.SET) {
      checkSetUnique(node, path);
    } else if (schema.listType() == ListType.MAP) {
      checkMapKeysUnique(node, schema.mapKey(), path);
    }
  }

  private void checkSetUnique(JsonNode node, String path) {
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!seen.add(item)) {
        structural.add(Violation.duplicate(path + "[" + i + "]", render(item)));
      }
    }
  }

  private void checkMapKeysUnique(JsonNode node, String key, String path) {
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode value = node.get(i).get(key);
      if (value != null && !value.isNull() && !seen.add(value)) {
        structural.add(
            Violation.duplicate(
                path + "[" + i + "]",
                "map[string]interface {}{" + Violation.quote(key) + ":" + render(value) + "}"));
      }
    }
  }

  private void visitString(JsonNode node, StringSchema schema, String path) {
    if (!expectType(node, "string", path)) {
      return;
    }
    String value = node.textValue();
    int length = value.codePointCount(0, value.length());
    if (!schema.enumValues().isEmpty() && !schema.enumValues().contains(value)) {
      structural.add(Violation.unsupported(path, value, schema.enumValues()));
    }
    if (schema.maxLength() != null && length > schema.maxLength()) {
      structural.add(Violation.tooLong(path, schema.maxLength()));
    }
    if (schema.minLength() != null && length < schema.minLength()) {
      structural.add(
          Violation.invalid(
              path,
              Violation.quote(value),
              path + " in body should be at least " + schema.minLength() + " chars long"));
    }
    if (schema.compiled() != null && !schema.compiled().matcher(value).find()) {
      structural.add(
          Violation.invalid(
              path,
              Violation.quote(value),
              path + " in body should match '" + schema.pattern() + "'"));
    }
    if ("date-time".equals(schema.format()) && !DATE_TIME.matcher(value).matches()) {
      structural.add(
          Violation.invalid(
              path,
              Violation.quote(value),
              path + " in body must be of type date-time: " + Violation.quote(value)));
    }
  }

  private void visitInteger(JsonNode node, IntegerSchema schema, String path) {
    if (!expectType(node, "integer", path)) {
      return;
    }
    BigInteger value = node.bigIntegerValue();
    if (schema.minimum() != null && value.compareTo(BigInteger.valueOf(schema.minimum())) < 0) {
      structural.add(
          Violation.invalid(
              path,
              value.toString(),
              path + " in body should be greater than or equal to " + schema.minimum()));
    }
    if (schema.maximum() != null && value.compareTo(BigInteger.valueOf(schema.maximum())) > 0) {
      structural.add(
          Violation.invalid(
              path,
              value.toString(),
              path + " in body should be less than or equal to " + schema.maximum()));
    }
  }

  private boolean expectType(JsonNode node, String expected, String path) {
    String actual = typeOf(node);
    if (actual.equals(expected)) {
      return true;
    }
    structural.add(
        Violation.invalid(
            path,
            Violation.quote(actual),
            path + " in body must be of type " + expected + ": " + Violation.quote(actual)));
    return false;
  }

  private void applyRules(JsonNode node, List<Rule> declared, String path, String nodeType) {
    for (Rule rule : declared) {
      boolean holds;
      try {
        holds = rule.holds().test(node);
      } catch (RuntimeException e) {
        // a rule that cannot be evaluated on a malformed node: the schema errors already say why
        holds = true;
      }
      if (!holds) {
        rules.add(Violation.rule(path, nodeType, rule.message()));
      }
    }
  }

  /** The JSON type name the API server prints for a value. */
  static String typeOf(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      double value = node.doubleValue();
      return Double.isFinite(value) && value == Math.rint(value) ? "integer" : "number";
    }
    return node.isObject() ? "object" : "string";
  }

  static boolean absent(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull();
  }

  private static String render(JsonNode value) {
    return value.isTextual() ? Violation.quote(value.textValue()) : value.toString();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
