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
    validator.visit(node, schema, FieldPath.root(path));
    List<Violation> all = new ArrayList<>(validator.unknown);
    all.addAll(validator.structural);
    all.addAll(validator.rules);
    return List.copyOf(all);
  }

  private void visit(JsonNode node, Schema schema, FieldPath path) {
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

  private void visitObject(JsonNode node, ObjectSchema schema, FieldPath path) {
    if (!expectType(node, "object", path)) {
      return;
    }
    int present = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Schema property = schema.properties().get(field.getKey());
      if (property == null && !schema.preserveUnknownFields()) {
        unknown.add(Violation.unknownField(path.field(field.getKey()).text()));
      }
      if (!field.getValue().isNull()) {
        present++;
      }
    }
    for (String name : schema.required()) {
      if (absent(node, name)) {
        structural.add(Violation.required(path.field(name).text()));
      }
    }
    if (schema.maxProperties() != null && present > schema.maxProperties()) {
      structural.add(Violation.tooMany(path.text(), present, schema.maxProperties()));
    }
    if (schema.minProperties() != null && present < schema.minProperties()) {
      structural.add(
          Violation.invalid(
              path.text(),
              Integer.toString(present),
              path + " in body should have at least " + schema.minProperties() + " properties"));
    }
    // CEL rules of a node are evaluated before those of its children, as the API server does
    applyRules(node, schema.rules(), path, "object");
    for (Map.Entry<String, Schema> property : schema.properties().entrySet()) {
      JsonNode value = node.get(property.getKey());
      if (value != null && !value.isNull()) {
        visit(value, property.getValue(), path.field(property.getKey()));
      }
    }
  }

  private void visitArray(JsonNode node, ArraySchema schema, FieldPath path) {
    if (!expectType(node, "array", path)) {
      return;
    }
    if (schema.maxItems() != null && node.size() > schema.maxItems()) {
      structural.add(Violation.tooMany(path.text(), node.size(), schema.maxItems()));
    }
    applyRules(node, schema.rules(), path, "array");
    for (int i = 0; i < node.size(); i++) {
      visit(node.get(i), schema.items(), path.item(i));
    }
    if (schema.listType() == ListType.SET) {
      checkSetUnique(node, path);
    } else if (schema.listType() == ListType.MAP) {
      checkMapKeysUnique(node, schema.mapKey(), path);
    }
  }

  private void checkSetUnique(JsonNode node, FieldPath path) {
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!seen.add(item)) {
        structural.add(Violation.duplicate(path.item(i).text(), render(item)));
      }
    }
  }

  private void checkMapKeysUnique(JsonNode node, String key, FieldPath path) {
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode value = node.get(i).get(key);
      if (value != null && !value.isNull() && !seen.add(value)) {
        structural.add(
            Violation.duplicate(
                path.item(i).text(),
                "map[string]interface {}{" + Violation.quote(key) + ":" + render(value) + "}"));
      }
    }
  }

  private void visitString(JsonNode node, StringSchema schema, FieldPath path) {
    if (!expectType(node, "string", path)) {
      return;
    }
    String value = node.textValue();
    int length = value.codePointCount(0, value.length());
    if (!schema.enumValues().isEmpty() && !schema.enumValues().contains(value)) {
      structural.add(Violation.unsupported(path.text(), value, schema.enumValues()));
    }
    if (schema.maxLength() != null && length > schema.maxLength()) {
      structural.add(Violation.tooLong(path.text(), schema.maxLength()));
    }
    if (schema.minLength() != null && length < schema.minLength()) {
      structural.add(
          Violation.invalid(
              path.text(),
              Violation.quote(value),
              path + " in body should be at least " + schema.minLength() + " chars long"));
    }
    if (schema.compiled() != null && !schema.compiled().matcher(value).find()) {
      structural.add(
          Violation.invalid(
              path.text(),
              Violation.quote(value),
              path + " in body should match '" + schema.pattern() + "'"));
    }
    if ("date-time".equals(schema.format()) && !DATE_TIME.matcher(value).matches()) {
      structural.add(
          Violation.invalid(
              path.text(),
              Violation.quote(value),
              path + " in body must be of type date-time: " + Violation.quote(value)));
    }
  }

  private void visitInteger(JsonNode node, IntegerSchema schema, FieldPath path) {
    if (!expectType(node, "integer", path)) {
      return;
    }
    BigInteger value = node.bigIntegerValue();
    if (schema.minimum() != null && value.compareTo(BigInteger.valueOf(schema.minimum())) < 0) {
      structural.add(
          Violation.invalid(
              path.text(),
              value.toString(),
              path + " in body should be greater than or equal to " + schema.minimum()));
    }
    if (schema.maximum() != null && value.compareTo(BigInteger.valueOf(schema.maximum())) > 0) {
      structural.add(
          Violation.invalid(
              path.text(),
              value.toString(),
              path + " in body should be less than or equal to " + schema.maximum()));
    }
  }

  private boolean expectType(JsonNode node, String expected, FieldPath path) {
    String actual = typeOf(node);
    if (actual.equals(expected)) {
      return true;
    }
    structural.add(
        Violation.invalid(
            path.text(),
            Violation.quote(actual),
            path + " in body must be of type " + expected + ": " + Violation.quote(actual)));
    return false;
  }

  private void applyRules(JsonNode node, List<Rule> declared, FieldPath path, String nodeType) {
    for (Rule rule : declared) {
      boolean holds;
      try {
        holds = rule.holds().test(node);
      } catch (RuntimeException e) {
        // a rule that cannot be evaluated on a malformed node: the schema errors already say why
        holds = true;
      }
      if (!holds) {
        rules.add(Violation.rule(path.text(), nodeType, rule.message()));
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

  /**
   * A JSON path ({@code spec.rules[0].name}), turned into text only when a violation names it: a
   * valid object, the common case, builds no path strings at all.
   */
  private static final class FieldPath {
    private final FieldPath parent;
    private final String field;
    private final int index;
    private final String text;

    private FieldPath(FieldPath parent, String field, int index, String text) {
      this.parent = parent;
      this.field = field;
      this.index = index;
      this.text = text;
    }

    static FieldPath root(String text) {
      return new FieldPath(null, null, -1, text);
    }

    FieldPath field(String name) {
      return new FieldPath(this, name, -1, null);
    }

    FieldPath item(int i) {
      return new FieldPath(this, null, i, null);
    }

    String text() {
      if (text != null) {
        return text;
      }
      String prefix = parent.text();
      if (field == null) {
        return prefix + "[" + index + "]";
      }
      return prefix.isEmpty() ? field : prefix + "." + field;
    }

    @Override
    public String toString() {
      return text();
    }
  }
}
