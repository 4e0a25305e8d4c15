package io.aigw.deploy.restore;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-document YAML text into its documents and separator lines, keeping every byte, so
 * one document can be replaced and the text joined again with everything else unchanged.
 */
final class ManifestChunks {

  private ManifestChunks() {}

  /** Alternating document texts and {@code ---} lines; joining them gives {@code text} back. */
  static List<String> split(String text) {
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end + 1;
      String line = text.substring(start, end);
      if (isSeparator(line)) {
        chunks.add(current.toString());
        current.setLength(0);
        chunks.add(line);
      } else {
        current.append(line);
      }
      start = end;
    }
    chunks.add(current.toString());
    return chunks;
  }

  /** A document start line: {@code ---} alone or followed by whitespace or a comment. */
  static boolean isSeparator(String line) {
    if (!line.startsWith("---")) {
      return false;
    }
    return line.length() == 3 || Character.isWhitespace(line.charAt(3));
  }
}
