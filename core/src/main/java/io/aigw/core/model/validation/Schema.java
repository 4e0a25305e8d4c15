package io.aigw.core.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The part of an OpenAPI v3 structural schema (as the CRDs declare it) that the AI Gateway kinds
 * use, with the {@code x-kubernetes-validations} CEL rules written as Java predicates. Immutable;
 * the {@code with…} methods return copies and are only used while the schemas are built.
 */
sealed interface Schema {

  /** A CEL rule: {@code holds} sees the (defaulted) node the rule is declared on. */
  record Rule(String message, Predicate<JsonNode> holds) {}

  /** An object with declared properties; any other key is an unknown field. */
  record ObjectSchema(
      Map<String, Schema> properties,
      Set<String> required,
      Integer minProperties,
      Integer maxProperties,
      List<Rule> rules,
      boolean preserveUnknownFields)
      implements Schema {

    static ObjectSchema object() {
      return new ObjectSchema(Map.of(), Set.of(), null, null, List.of(), false);
    }

    /** An object whose content is not checked ({@code x-kubernetes-preserve-unknown-fields}). */
    static ObjectSchema anyObject() {
      return new ObjectSchema(Map.of(), Set.of(), null, null, List.of(), true);
    }

    ObjectSchema optional(String name, Schema schema) {
      Map<String, Schema> copy = new LinkedHashMap<>(properties);
      copy.put(name, schema);
      return new ObjectSchema(
          copy, required, minProperties, maxProperties, rules, preserveUnknownFields);
    }

    ObjectSchema required(String name, Schema schema) {
      Set<String> names = new LinkedHashSet<>(required);
      names.add(name);
      ObjectSchema withField = optional(name, schema);
      return new ObjectSchema(
          withField.properties, names, minProperties, maxProperties, rules, preserveUnknownFields);
    }

    ObjectSchema properties(int min, int max) {
      return new ObjectSchema(properties, required, min, max, rules, preserveUnknownFields);
    }

    ObjectSchema maxProperties(int max) {
      return new ObjectSchema(
          properties, required, minProperties, max, rules, preserveUnknownFields);
    }

    ObjectSchema rule(String message, Predicate<JsonNode> holds) {
      List<Rule> copy = new ArrayList<>(rules);
      copy.add(new Rule(message, holds));
      return new ObjectSchema(
          properties, required, minProperties, maxProperties, copy, preserveUnknownFields);
    }
  }

  /** How items of a list are keyed ({@code x-kubernetes-list-type}). */
  enum ListType {
    ATOMIC,
    SET,
    MAP
  }

  record ArraySchema(
      Schema items, Integer maxItems, ListType listType, String mapKey, List<Rule> rules)
      implements Schema {

    static ArraySchema array(Schema items) {
      return new ArraySchema(items, null, ListType.ATOMIC, null, List.of());
    }

    ArraySchema maxItems(int max) {
      return new ArraySchema(items, max, listType, mapKey, rules);
    }

    ArraySchema set() {
      return new ArraySchema(items, maxItems, ListType.SET, null, rules);
    }

    ArraySchema mapKeyedBy(String key) {
      return new ArraySchema(items, maxItems, ListType.MAP, key, rules);
    }

    ArraySchema rule(String message, Predicate<JsonNode> holds) {
      List<Rule> copy = new ArrayList<>(rules);
      copy.add(new Rule(message, holds));
      return new ArraySchema(items, maxItems, listType, mapKey, copy);
    }
  }

  /** A string; {@code pattern} keeps the CRD's text because the API server prints it. */
  record StringSchema(
      Integer minLength,
      Integer maxLength,
      String pattern,
      Pattern compiled,
      List<String> enumValues,
      String format)
      implements Schema {

    static StringSchema string() {
      return new StringSchema(null, null, null, null, List.of(), null);
    }

    StringSchema minLength(int min) {
      return new StringSchema(min, maxLength, pattern, compiled, enumValues, format);
    }

    StringSchema maxLength(int max) {
      return new StringSchema(minLength, max, pattern, compiled, enumValues, format);
    }

    StringSchema length(int min, int max) {
      return minLength(min).maxLength(max);
    }

    StringSchema pattern(String regex) {
      return new StringSchema(
          minLength, maxLength, regex, Pattern.compile(regex), enumValues, format);
    }

    StringSchema oneOf(String... values) {
      return new StringSchema(minLength, maxLength, pattern, compiled, List.of(values), format);
    }

    StringSchema format(String name) {
      return new StringSchema(minLength, maxLength, pattern, compiled, enumValues, name);
    }
  }

  record IntegerSchema(Long minimum, Long maximum) implements Schema {
    static IntegerSchema integer() {
      return new IntegerSchema(null, null);
    }

    IntegerSchema range(long min, long max) {
      return new IntegerSchema(min, max);
    }

    IntegerSchema minimum(long min) {
      return new IntegerSchema(min, maximum);
    }
  }

  record BooleanSchema() implements Schema {}

  /** Anything goes (a field aigw does not interpret, e.g. status or Envoy Gateway internals). */
  record AnySchema() implements Schema {}
}
