package io.aigw.core.model.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One reason the API server would reject an object. {@code field} is the JSON path ({@code
 * spec.rules[0].name}); {@code message} is the API server's text after the path, so {@link
 * #toString()} reads exactly as {@code kubectl apply} would print it. Unknown fields are reported
 * as kubectl's strict field validation does: the whole text is {@code unknown field "spec.foo"}.
 */
public record Violation(String field, String message) {

  private static final String UNKNOWN_FIELD = "unknown field ";

  @Override
  public String toString() {
    return isUnknownField() ? message : field + ": " + message;
  }

  /** A field the schema does not declare (a typo, or a field of another version). */
  public boolean isUnknownField() {
    return message.startsWith(UNKNOWN_FIELD);
  }

  static Violation unknownField(String path) {
    return new Violation(path, UNKNOWN_FIELD + quote(path));
  }

  static Violation required(String path) {
    return new Violation(path, "Required value");
  }

  static Violation required(String path, String detail) {
    return new Violation(path, "Required value: " + detail);
  }

  static Violation tooMany(String path, int actual, int max) {
    return new Violation(path, "Too many: " + actual + ": must have at most " + max + " items");
  }

  static Violation tooLong(String path, int max) {
    return new Violation(
        path, "Too long: may not be more than " + max + (max == 1 ? " byte" : " bytes"));
  }

  /** {@code Invalid value: <value>: <detail>}; {@code value} is already rendered. */
  static Violation invalid(String path, String renderedValue, String detail) {
    return new Violation(path, "Invalid value: " + renderedValue + ": " + detail);
  }

  /** A CEL rule that does not hold on an object or array. */
  static Violation rule(String path, String nodeType, String message) {
    return invalid(path, quote(nodeType), message);
  }

  static Violation unsupported(String path, String value, List<String> supported) {
    return new Violation(
        path,
        "Unsupported value: "
            + quote(value)
            + ": supported values: "
            + supported.stream().map(Violation::quote).collect(Collectors.joining(", ")));
  }

  static Violation duplicate(String path, String renderedValue) {
    return new Violation(path, "Duplicate value: " + renderedValue);
  }

  /** Go's {@code %q}: how the API server renders a string value. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
