package io.aigw.extproc.processor;

/**
 * Text a client chose (a model name, a header's value, an error message quoting one), cut to a
 * length a span or a log carries: one request's megabyte-long model must not make a batch of spans
 * the collector refuses, losing the other requests' in it.
 */
public final class ClientText {

  public static final int MAX_CHARS = 256;

  private ClientText() {}

  public static String bounded(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
  }
}
