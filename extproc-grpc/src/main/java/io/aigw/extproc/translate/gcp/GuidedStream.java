package io.aigw.extproc.translate.gcp;

/**
 * One streamed choice's text cleaned as {@link GuidedOutput#clean} cleans a whole answer, chunk by
 * chunk: what the whole answer would lose at its start is taken off the first text, and what it
 * would lose at its end is held back from each chunk and given with the next one, so that only the
 * answer's own end loses it ("New" + " York" stays "New York").
 */
final class GuidedStream {

  private final GuidedOutput output;
  private boolean started;
  private String held = "";

  GuidedStream(GuidedOutput output) {
    this.output = output;
  }

  /** The part of {@code text} the client may have now. */
  String next(String text) {
    if (output != GuidedOutput.CHOICE && output != GuidedOutput.REGEX) {
      return text;
    }
    String out = text;
    if (!started) {
      out = output == GuidedOutput.CHOICE ? out.stripLeading() : dropLeadingQuote(out);
      if (out.isEmpty()) {
        return "";
      }
      started = true;
    }
    out = held + out;
    int end = output == GuidedOutput.CHOICE ? out.stripTrailing().length() : quotedEnd(out);
    held = out.substring(end);
    return out.substring(0, end);
  }

  private static String dropLeadingQuote(String text) {
    return text.startsWith("\"") ? text.substring(1) : text;
  }

  private static int quotedEnd(String text) {
    return text.endsWith("\"") ? text.length() - 1 : text.length();
  }
}
