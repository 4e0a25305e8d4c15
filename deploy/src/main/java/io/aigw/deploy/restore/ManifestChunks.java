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

  /**
   * The blank and comment lines a document starts with (a file's header, a note above the object):
   * kept when the document is replaced.
   */
  static String leadingComments(String chunk) {
    int end = 0;
    while (end < chunk.length()) {
      int next = chunk.indexOf('\n', end);
      next = next < 0 ? chunk.length() : next + 1;
      String line = chunk.substring(end, next).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        break;
      }
      end = next;
    }
    return chunk.substring(0, end);
  }

  /** A document start line: {@code ---} alone or followed by whitespace or a comment. */
  static boolean isSeparator(String line) {
    if (!line.startsWith("---")) {
      return false;
    }
    return line.length() == 3 || Character.isWhitespace(line.charAt(3));
  }
}
