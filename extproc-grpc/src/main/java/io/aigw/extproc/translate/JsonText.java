package io.aigw.extproc.translate;

/** Writes JSON text by hand where a tree or generator per streamed chunk would cost too much. */
public final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code value} as a JSON string (quoted and escaped); null as {@code null}. */
  public static StringBuilder quote(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    int runStart = 0;
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
        continue;
      }
      out.append(value, runStart, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default ->
            out.append("\\u")
                .append(HEX[c >> 12 & 0xf])
                .append(HEX[c >> 8 & 0xf])
                .append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
      }
      runStart = i + 1;
    }
    return out.append(value, runStart, length).append('"');
  }

  /** {@code value} as a JSON string literal. */
  public static String quote(String value) {
    return quote(new StringBuilder(value == null ? 4 : value.length() + 2), value).toString();
  }
}
