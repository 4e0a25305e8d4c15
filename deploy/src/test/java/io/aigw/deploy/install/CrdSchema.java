package io.aigw.deploy.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server does with a custom resource against one CRD version's {@code
 * openAPIV3Schema}, reduced to what the AI Gateway CRDs use: defaulting, strict field validation
 * (unknown fields), the structural checks (types, required, enums, patterns, lengths, item and
 * property counts, list keys, date-time) and the {@code x-kubernetes-validations} CEL rules, which
 * are compiled and run by {@link CelRules}. Violations read as {@code kubectl apply} prints them,
 * the same text {@code AiResourceValidator} produces, so the two can be compared line for line.
 * {@code metadata} is left to the API server's object-meta checks and not looked at.
 */
final class CrdSchema {

  private static final Pattern DATE_TIME =
      Pattern.compile(
          "^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?)?$");

  private final CelRules cel;
  private final List<String> unknown = new ArrayList<>();
  private final List<String> structural = new ArrayList<>();
  private final List<String> rules = new ArrayList<>();

  private CrdSchema(CelRules cel) {
    this.cel = cel;
  }

  /** Every violation of {@code object} against {@code schema}, in kubectl's words. */
  static List<String> violations(JsonNode schema, JsonNode object, CelRules cel) {
    CrdSchema check = new CrdSchema(cel);
    JsonNode defaulted = defaulted(schema, object);
    check.visit(defaulted, schema, "");
    List<String> all = new ArrayList<>(check.unknown);
    all.addAll(check.structural);
    all.addAll(check.rules);
    return List.copyOf(all);
  }

  /** A copy of {@code object} with the schema's defaults where a field is absent or null. */
  static JsonNode defaulted(JsonNode schema, JsonNode object) {
    JsonNode copy = object.deepCopy();
    applyDefaults(copy, schema);
    return copy;
  }

  private static void applyDefaults(JsonNode node, JsonNode schema) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode value = object.get(property.getKey());
        if ((value == null || value.isNull()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        } else if (value != null) {
          applyDefaults(value, property.getValue());
        }
      }
    } else if (node instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(item, schema.get("items")));
    }
  }

  private void visit(JsonNode node, JsonNode schema, String path) {
    if (path.equals("metadata")) {
      return;
    }
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      // its content is not checked, its type is
      String type = schema.path("type").asText();
      if (!type.isEmpty()) {
        expectType(node, type, path);
      }
      return;
    }
    switch (schema.path("type").asText()) {
      case "object" -> visitObject(node, schema, path);
      case "array" -> visitArray(node, schema, path);
      case "string" -> visitString(node, schema, path);
      case "integer" -> visitInteger(node, schema, path);
      case "boolean" -> expectType(node, "boolean", path);
      default -> throw new AssertionError(path + ": schema without a type: " + schema);
    }
  }

  private void visitObject(JsonNode node, JsonNode schema, String path) {
    if (!expectType(node, "object", path)) {
      return;
    }
    JsonNode properties = schema.path("properties");
    int present = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!properties.has(field.getKey())) {
        unknown.add("unknown field \"" + join(path, field.getKey()) + "\"");
      }
      if (!field.getValue().isNull()) {
        present++;
      }
    }
    for (JsonNode name : schema.path("required")) {
      if (absent(node, name.asText())) {
        structural.add(join(path, name.asText()) + ": Required value");
      }
    }
    if (schema.has("maxProperties") && present > schema.get("maxProperties").asInt()) {
      structural.add(tooMany(path, present, schema.get("maxProperties").asInt()));
    }
    if (schema.has("minProperties") && present < schema.get("minProperties").asInt()) {
      structural.add(
          invalid(
              path,
              Integer.toString(present),
              path
                  + " in body should have at least "
                  + schema.get("minProperties")
                  + " properties"));
    }
    applyRules(node, schema, path, "object");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      JsonNode value = node.get(property.getKey());
      if (value != null && !value.isNull()) {
        visit(value, property.getValue(), join(path, property.getKey()));
      }
    }
  }

  private void visitArray(JsonNode node, JsonNode schema, String path) {
    if (!expectType(node, "array", path)) {
      return;
    }
    if (schema.has("maxItems") && node.size() > schema.get("maxItems").asInt()) {
      structural.add(tooMany(path, node.size(), schema.get("maxItems").asInt()));
    }
    applyRules(node, schema, path, "array");
    for (int i = 0; i < node.size(); i++) {
      visit(node.get(i), schema.get("items"), path + "[" + i + "]");
    }
    String listType = schema.path("x-kubernetes-list-type").asText("atomic");
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      if (listType.equals("set") && !seen.add(node.get(i))) {
        structural.add(path + "[" + i + "]: Duplicate value: " + render(node.get(i)));
      } else if (listType.equals("map")) {
        String key = schema.path("x-kubernetes-list-map-keys").get(0).asText();
        JsonNode value = node.get(i).get(key);
        if (value != null && !value.isNull() && !seen.add(value)) {
          structural.add(
              path
                  + "["
                  + i
                  + "]: Duplicate value: map[string]interface {}{"
                  + quote(key)
                  + ":"
                  + render(value)
                  + "}");
        }
      }
    }
  }

  private void visitString(JsonNode node, JsonNode schema, String path) {
    if (!expectType(node, "string", path)) {
      return;
    }
    String value = node.textValue();
    int length = value.codePointCount(0, value.length());
    List<String> allowed = new ArrayList<>();
    schema.path("enum").forEach(e -> allowed.add(e.asText()));
    if (!allowed.isEmpty() && !allowed.contains(value)) {
      List<String> quoted = allowed.stream().map(CrdSchema::quote).toList();
      structural.add(
          path
              + ": Unsupported value: "
              + quote(value)
              + ": supported values: "
              + String.join(", ", quoted));
    }
    if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
      int max = schema.get("maxLength").asInt();
      structural.add(
          path + ": Too long: may not be more than " + max + (max == 1 ? " byte" : " bytes"));
    }
    if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
      structural.add(
          invalid(
              path,
              quote(value),
              path + " in body should be at least " + schema.get("minLength") + " chars long"));
    }
    String pattern = schema.path("pattern").asText(null);
    if (pattern != null && !Pattern.compile(pattern).matcher(value).find()) {
      structural.add(invalid(path, quote(value), path + " in body should match '" + pattern + "'"));
    }
    if ("date-time".equals(schema.path("format").asText()) && !DATE_TIME.matcher(value).matches()) {
      structural.add(
          invalid(
              path, quote(value), path + " in body must be of type date-time: " + quote(value)));
    }
  }

  private void visitInteger(JsonNode node, JsonNode schema, String path) {
    if (!expectType(node, "integer", path)) {
      return;
    }
    BigInteger value = node.bigIntegerValue();
    if (schema.has("minimum") && value.compareTo(schema.get("minimum").bigIntegerValue()) < 0) {
      structural.add(
          invalid(
              path,
              value.toString(),
              path + " in body should be greater than or equal to " + schema.get("minimum")));
    }
    if (schema.has("maximum") && value.compareTo(schema.get("maximum").bigIntegerValue()) > 0) {
      structural.add(
          invalid(
              path,
              value.toString(),
              path + " in body should be less than or equal to " + schema.get("maximum")));
    }
  }

  private boolean expectType(JsonNode node, String expected, String path) {
    String actual = typeOf(node);
    if (actual.equals(expected)) {
      return true;
    }
    structural.add(
        invalid(
            path,
            quote(actual),
            path + " in body must be of type " + expected + ": " + quote(actual)));
    return false;
  }

  private void applyRules(JsonNode node, JsonNode schema, String path, String nodeType) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      if (!cel.holds(rule.path("rule").asText(), node)) {
        rules.add(invalid(path, quote(nodeType), rule.path("message").asText()));
      }
    }
  }

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

  private static boolean absent(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull();
  }

  private static String tooMany(String path, int actual, int max) {
    return path + ": Too many: " + actual + ": must have at most " + max + " items";
  }

  private static String invalid(String path, String rendered, String detail) {
    return path + ": Invalid value: " + rendered + ": " + detail;
  }

  private static String render(JsonNode value) {
    return value.isTextual() ? quote(value.textValue()) : value.toString();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** Go's {@code %q} for the characters the test data uses. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
