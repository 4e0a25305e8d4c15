package io.aigw.extproc.tracing;

/**
 * Text a client chose (a model name, an error message quoting it), cut to a length a span carries:
 * one request's megabyte-long model must not make a batch the collector refuses, losing the other
 * requests' spans in it.
 */
final class TracedText {

  static final int MAX_CHARS = 256;

  private TracedText() {}

  static String bounded(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
  }
}
