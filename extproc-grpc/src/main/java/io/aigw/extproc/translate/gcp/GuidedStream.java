package io.aigw.extproc.translate.gcp;

/**
 * One choice's answer to a guided request as the client asked for it, taken chunk by chunk as a
 * stream brings it (or whole). A {@code guided_regex} answer comes as the JSON string Gemini was
 * constrained to write: it is decoded, escapes and all, and what follows its closing quote is
 * dropped. A {@code guided_choice} answer may be padded: its leading blanks are dropped, and blanks
 * at the end of a chunk are held back and given with the next one, so only the answer's own end
 * loses them ("New" + " York" stays "New York").
 */
final class GuidedStream {

  /** Where the decoder is in a regex answer. */
  private enum Place {
    BEFORE,
    INSIDE,
    ESCAPE,
    UNICODE,
    AFTER,
    /** The answer is no JSON string after all: passed on as it came. */
    RAW
  }

  private final GuidedOutput output;
  private boolean started;
  private String held = "";
  private Place place = Place.BEFORE;
  private final StringBuilder unicode = new StringBuilder(4);

  GuidedStream(GuidedOutput output) {
    this.output = output;
  }

  /** The part of the answer the client may have now, given its next {@code text}. */
  String next(String text) {
    return switch (output) {
      case CHOICE -> choice(text);
      case REGEX -> decode(text);
      default -> text;
    };
  }

  private String choice(String text) {
    String out = text;
    if (!started) {
      out = out.stripLeading();
      if (out.isEmpty()) {
        return "";
      }
      started = true;
    }
    out = held + out;
    int end = out.stripTrailing().length();
    held = out.substring(end);
    return out.substring(0, end);
  }

  private String decode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 1);
    out.append(held);
    held = "";
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (place) {
        case BEFORE -> {
          if (c == '"') {
            place = Place.INSIDE;
          } else if (!Character.isWhitespace(c)) {
            place = Place.RAW;
            out.append(c);
          }
        }
        case INSIDE -> {
          if (c == '\\') {
            place = Place.ESCAPE;
          } else if (c == '"') {
            place = Place.AFTER;
          } else {
            out.append(c);
          }
        }
        case ESCAPE -> escape(c, out);
        case UNICODE -> unicode(c, out);
        case RAW -> out.append(c);
        case AFTER -> {
          // what follows the string's closing quote (a newline, say) is no part of the answer
        }
      }
    }
    // half an emoji (\ud83d of \ud83d\ude00) cannot be sent alone: it waits for its other half
    int last = out.length() - 1;
    if (last >= 0 && Character.isHighSurrogate(out.charAt(last))) {
      held = out.substring(last);
      out.setLength(last);
    }
    return out.toString();
  }

  private void escape(char c, StringBuilder out) {
    if (c == 'u') {
      unicode.setLength(0);
      place = Place.UNICODE;
      return;
    }
    out.append(
        switch (c) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case 'b' -> '\b';
          case 'f' -> '\f';
          default -> c; // \" \\ \/
        });
    place = Place.INSIDE;
  }

  private void unicode(char c, StringBuilder out) {
    unicode.append(c);
    if (unicode.length() < 4) {
      return;
    }
    boolean hex = unicode.chars().allMatch(d -> Character.digit(d, 16) >= 0);
    if (hex) {
      out.append((char) Integer.parseInt(unicode.toString(), 16));
    } else {
      out.append("\\u").append(unicode);
    }
    place = Place.INSIDE;
  }
}
