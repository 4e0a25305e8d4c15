package io.aigw.core.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes, without a YAML library, the exact text {@link YamlText}'s Jackson generator writes for
 * the trees our objects make: a mapping at the root; nested mappings, lists of scalars and of
 * mappings; strings plain, double-quoted or as literal blocks; numbers, booleans and nulls. Any
 * other shape, and any string whose style it is not certain of, gives empty, and the caller writes
 * the tree with Jackson. The generator decides the style of each string in two layers (Jackson's
 * quoting rules, then SnakeYAML's analysis of the scalar), and spends most of a ConfigMap's
 * rendering doing so; the admin renders hundreds of ConfigMaps for one page of a diff. The rules
 * below accept only strings both layers leave alone or quote without escapes, and the tests compare
 * this writer with the generator over arbitrary trees.
 */
final class BlockYamlWriter {

  /** Strings Jackson quotes so that a reader does not take them for a boolean or a null. */
  private static final Set<String> RESERVED =
      Set.of(
          "false", "False", "FALSE", "n", "N", "no", "No", "NO", "null", "Null", "NULL", "on", "On",
          "ON", "off", "Off", "OFF", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES");

  /** Characters that may not start a plain scalar. */
  private static final String FIRST_INDICATORS = "#,[]{}&*!|>'\"%@`?:~";

  /** Beyond this length SnakeYAML writes a key as a complex key ({@code ? key}). */
  private static final int SIMPLE_KEY_LENGTH = 128;

  /** Thrown to stop at the first thing this writer does not know; carries no stack. */
  private static final class Unsupported extends RuntimeException {
    private static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super(null, null, false, false);
    }
  }

  private final StringBuilder out = new StringBuilder(512);

  private BlockYamlWriter() {}

  /** The text of {@code sorted} (keys already in order), or empty when Jackson must write it. */
  static Optional<String> write(JsonNode sorted) {
    if (!sorted.isObject() || sorted.isEmpty()) {
      return Optional.empty();
    }
    BlockYamlWriter writer = new BlockYamlWriter();
    try {
      writer.out.append("---\n");
      writer.mapping(sorted, 0, false);
      return Optional.of(writer.out.toString());
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  /** The entries of a non-empty mapping whose keys start at {@code column}. */
  private void mapping(JsonNode node, int column, boolean firstOnDashLine) {
    boolean first = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!(first && firstOnDashLine)) {
        indent(column);
      }
      first = false;
      key(field.getKey());
      out.append(':');
      value(field.getValue(), column);
    }
  }

  /** A mapping's value, after {@code key:}; the key starts at {@code column}. */
  private void value(JsonNode node, int column) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append(" {}\n");
      } else {
        out.append('\n');
        mapping(node, column + 2, false);
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append(" []\n");
      } else {
        out.append('\n');
        sequence(node, column + 2);
      }
    } else {
      out.append(' ');
      scalar(node, column + 2);
    }
  }

  /** The items of a non-empty list, each {@code - } at {@code column}. */
  private void sequence(JsonNode node, int column) {
    for (JsonNode item : node) {
      indent(column);
      out.append("- ");
      if (item.isObject()) {
        if (item.isEmpty()) {
          out.append("{}\n");
        } else {
          mapping(item, column + 2, true);
        }
      } else if (item.isArray()) {
        if (!item.isEmpty()) {
          throw Unsupported.INSTANCE;
        }
        out.append("[]\n");
      } else {
        scalar(item, column + 2);
      }
    }
  }

  /** A scalar and its line end; a literal block's lines start at {@code blockColumn}. */
  private void scalar(JsonNode node, int blockColumn) {
    if (node.isTextual()) {
      string(node.textValue(), blockColumn);
    } else if (node.isInt() || node.isLong() || node.isBoolean()) {
      out.append(node.asText());
    } else if (node.isNull()) {
      out.append("null");
    } else if (node.isDouble()) {
      out.append(node.doubleValue());
    } else {
      throw Unsupported.INSTANCE;
    }
    out.append('\n');
  }

  private void key(String key) {
    // Jackson quotes keys that read as numbers or keywords; SnakeYAML quotes long and odd ones
    if (key.length() >= SIMPLE_KEY_LENGTH
        || RESERVED.contains(key)
        || key.isEmpty()
        || isDigit(key.charAt(0))
        || key.charAt(0) == '+'
        || key.charAt(0) == '-'
        || key.charAt(0) == '.'
        || !plain(key)) {
      throw Unsupported.INSTANCE;
    }
    out.append(key);
  }

  private void string(String text, int blockColumn) {
    if (text.indexOf('\n') >= 0) {
      literal(text, blockColumn);
    } else if (text.isEmpty()
        || text.charAt(0) == '~'
        || RESERVED.contains(text)
        || looksLikeNumber(text)
        || hasQuotableChar(text)) {
      // Jackson asks for double quotes; without escapes they only wrap the text
      if (!printableWithoutEscapes(text)) {
        throw Unsupported.INSTANCE;
      }
      out.append('"').append(text).append('"');
    } else if (plain(text)) {
      out.append(text);
    } else {
      throw Unsupported.INSTANCE;
    }
  }

  /**
   * A literal block ({@code |}) for text that starts with a visible character, has no trailing
   * blanks on its lines, and ends with at most one line break; anything else is left to Jackson.
   */
  private void literal(String text, int column) {
    char first = text.charAt(0);
    int end = text.length();
    boolean lineEnd = text.charAt(end - 1) == '\n';
    if (first == ' ' || first == '\n' || lineEnd && end > 1 && text.charAt(end - 2) == '\n') {
      throw Unsupported.INSTANCE;
    }
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n' ? i > 0 && text.charAt(i - 1) == ' ' : c < 0x20 || c > 0x7e) {
        throw Unsupported.INSTANCE;
      }
    }
    if (text.charAt(end - 1) == ' ') {
      throw Unsupported.INSTANCE;
    }
    out.append(lineEnd ? "|" : "|-");
    int start = 0;
    int stop = lineEnd ? end - 1 : end;
    while (start <= stop) {
      int newline = text.indexOf('\n', start);
      int lineStop = newline < 0 || newline > stop ? stop : newline;
      out.append('\n');
      if (lineStop > start) {
        indent(column);
        out.append(text, start, lineStop);
      }
      start = lineStop + 1;
    }
  }

  /** Jackson's {@code PLAIN_NUMBER_P}: {@code [+-]?[0-9]*(\.[0-9]*)?}, the empty text included. */
  private static boolean looksLikeNumber(String text) {
    int i = 0;
    int end = text.length();
    if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      i++;
    }
    while (i < end && isDigit(text.charAt(i))) {
      i++;
    }
    if (i < end && text.charAt(i) == '.') {
      i++;
      while (i < end && isDigit(text.charAt(i))) {
        i++;
      }
    }
    return i == end;
  }

  /** Jackson's value quoting: flow indicators, {@code " #"} and {@code ": "}. */
  private static boolean hasQuotableChar(String text) {
    int end = text.length();
    for (int i = 0; i < end; i++) {
      switch (text.charAt(i)) {
        case '[', ']', '{', '}', ',' -> {
          return true;
        }
        case '#' -> {
          if (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
            return true;
          }
        }
        case ':' -> {
          if (i < end - 1 && (text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\t')) {
            return true;
          }
        }
        default -> {}
      }
    }
    return false;
  }

  /**
   * Whether SnakeYAML keeps {@code text} plain in block context, by a stricter rule than its own:
   * printable ASCII, no leading or trailing space, no indicator first, no {@code ": "} or {@code "
   * #"}, no {@code :} last, not a document marker.
   */
  private static boolean plain(String text) {
    int end = text.length();
    char first = text.charAt(0);
    if (FIRST_INDICATORS.indexOf(first) >= 0
        || first == ' '
        || first == '-' && (end == 1 || text.charAt(1) == ' ')
        || text.charAt(end - 1) == ' '
        || text.charAt(end - 1) == ':'
        || text.startsWith("---")
        || text.startsWith("...")) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
      if (c == ':' && text.charAt(i + 1) == ' ' || c == '#' && text.charAt(i - 1) == ' ') {
        return false;
      }
    }
    return true;
  }

  private static boolean printableWithoutEscapes(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void indent(int column) {
    for (int i = 0; i < column; i++) {
      out.append(' ');
    }
  }
}
