package io.aigw.core.codec;

import java.nio.charset.StandardCharsets;

/**
 * A quick yes to "is this JSON?" for the text our own watchers write: strict RFC 8259 grammar for a
 * top-level object or array, read char by char without building tokens. It answers {@code true}
 * only for text Jackson's default parser certainly accepts (short strings and numbers, shallow
 * nesting, no comments or extensions) and {@code false} for anything else, including text Jackson
 * might accept; {@link CanonicalJson#check} then asks Jackson. So the answer is only ever a
 * shortcut, never a different verdict: checking the ~450 bytes of a typical object this way costs a
 * fraction of creating a parser for it.
 */
final class StrictJsonScan {

  /** Well below Jackson's default limits (nesting 1000, numbers 1000 chars, strings 20 M). */
  private static final int MAX_DEPTH = 200;

  private static final int MAX_STRING = 10_000;
  private static final int MAX_NUMBER = 100;

  /** Returned by a step that met something it does not vouch for. */
  private static final int NO = -1;

  /** The text as Latin-1: a char beyond it became {@code '?'}, which the scan never vouches for. */
  private final byte[] text;

  private final int length;

  private StrictJsonScan(byte[] text) {
    this.text = text;
    this.length = text.length;
  }

  /**
   * Whether {@code text} starts (after whitespace) with a strictly well-formed object or array;
   * what follows that value is not read, as Jackson's first-value read does not read it.
   */
  static boolean certainlyJson(String text) {
    // one bulk copy, then a loop over bytes: much cheaper than charAt per char
    StrictJsonScan scan = new StrictJsonScan(text.getBytes(StandardCharsets.ISO_8859_1));
    int at = scan.whitespace(0);
    if (at >= scan.length) {
      return false;
    }
    int first = scan.text[at];
    if (first != '{' && first != '[') {
      return false;
    }
    return scan.value(at, 0) != NO;
  }

  private char at(int index) {
    return (char) (text[index] & 0xFF);
  }

  private int whitespace(int at) {
    int i = at;
    while (i < length) {
      char c = at(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return i;
      }
      i++;
    }
    return i;
  }

  /** The index after the value starting at {@code at}, or {@link #NO}. */
  private int value(int at, int depth) {
    if (at >= length) {
      return NO;
    }
    char c = at(at);
    switch (c) {
      case '{':
        return depth >= MAX_DEPTH ? NO : object(at + 1, depth + 1);
      case '[':
        return depth >= MAX_DEPTH ? NO : array(at + 1, depth + 1);
      case '"':
        return string(at + 1);
      case 't':
        return literal(at, "true");
      case 'f':
        return literal(at, "false");
      case 'n':
        return literal(at, "null");
      default:
        return c == '-' || (c >= '0' && c <= '9') ? number(at) : NO;
    }
  }

  private int object(int at, int depth) {
    int i = whitespace(at);
    if (i < length && at(i) == '}') {
      return i + 1;
    }
    while (true) {
      if (i >= length || at(i) != '"') {
        return NO;
      }
      i = string(i + 1);
      if (i == NO) {
        return NO;
      }
      i = whitespace(i);
      if (i >= length || at(i) != ':') {
        return NO;
      }
      i = value(whitespace(i + 1), depth);
      if (i == NO) {
        return NO;
      }
      i = whitespace(i);
      if (i >= length) {
        return NO;
      }
      char c = at(i);
      if (c == '}') {
        return i + 1;
      }
      if (c != ',') {
        return NO;
      }
      i = whitespace(i + 1);
    }
  }

  private int array(int at, int depth) {
    int i = whitespace(at);
    if (i < length && at(i) == ']') {
      return i + 1;
    }
    while (true) {
      i = value(i, depth);
      if (i == NO) {
        return NO;
      }
      i = whitespace(i);
      if (i >= length) {
        return NO;
      }
      char c = at(i);
      if (c == ']') {
        return i + 1;
      }
      if (c != ',') {
        return NO;
      }
      i = whitespace(i + 1);
    }
  }

  /** The string whose content starts at {@code at} (after the opening quote). */
  private int string(int at) {
    int limit = Math.min(length, at + MAX_STRING);
    int i = at;
    while (i < limit) {
      char c = at(i);
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20 || c == '?') {
        return NO;
      }
      if (c == '\\') {
        i = escape(i + 1);
        if (i == NO) {
          return NO;
        }
      } else {
        i++;
      }
    }
    return NO;
  }

  private int escape(int at) {
    if (at >= length) {
      return NO;
    }
    switch (at(at)) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
        return at + 1;
      case 'u':
        if (at + 4 >= length) {
          return NO;
        }
        for (int k = 1; k <= 4; k++) {
          if (Character.digit(at(at + k), 16) < 0 || at(at + k) > 'f') {
            return NO;
          }
        }
        return at + 5;
      default:
        return NO;
    }
  }

  private int literal(int at, String word) {
    if (at + word.length() > length) {
      return NO;
    }
    for (int k = 0; k < word.length(); k++) {
      if (at(at + k) != word.charAt(k)) {
        return NO;
      }
    }
    return at + word.length();
  }

  /** {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, at most {@link #MAX_NUMBER} chars. */
  private int number(int at) {
    int i = at;
    if (at(i) == '-') {
      i++;
    }
    if (i >= length) {
      return NO;
    }
    if (at(i) == '0') {
      i++;
    } else {
      i = digits(i);
      if (i == NO) {
        return NO;
      }
    }
    if (i < length && at(i) == '.') {
      i = digits(i + 1);
      if (i == NO) {
        return NO;
      }
    }
    if (i < length && (at(i) == 'e' || at(i) == 'E')) {
      i++;
      if (i < length && (at(i) == '+' || at(i) == '-')) {
        i++;
      }
      i = digits(i);
      if (i == NO) {
        return NO;
      }
    }
    return i - at > MAX_NUMBER ? NO : i;
  }

  /** One or more ASCII digits from {@code at}. */
  private int digits(int at) {
    int i = at;
    while (i < length && at(i) >= '0' && at(i) <= '9') {
      i++;
    }
    return i == at ? NO : i;
  }
}
