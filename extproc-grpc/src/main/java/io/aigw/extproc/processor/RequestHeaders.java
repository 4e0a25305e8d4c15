package io.aigw.extproc.processor;

import java.util.Map;
import java.util.Set;

/**
 * A request's headers as the observers may read them, for the labels an operator maps: never a
 * header that carries a credential (a client's key, a cookie, a credential override's), whatever
 * they ask for. A view, not a copy: the processor reads the headers once and never changes them.
 */
public final class RequestHeaders {

  /** No headers: a request refused before its headers were read. */
  public static final RequestHeaders NONE = new RequestHeaders(Map.of(), Set.of());

  private final Map<String, String> headers;
  private final Set<String> withheld;

  /**
   * @param headers the request's headers, lower-case names
   * @param withheld the headers a backend takes a request's own credential in
   */
  public RequestHeaders(Map<String, String> headers, Set<String> withheld) {
    this.headers = headers;
    this.withheld = withheld;
  }

  /** The value of header {@code name}, or null when absent or never to be read. */
  public String get(String name) {
    if (CredentialHeaders.carriesCredential(name) || withheld.contains(name)) {
      return null;
    }
    return headers.get(name);
  }

  /** Names the count only: a summary printed in a log or a test's failure shows no value. */
  @Override
  public String toString() {
    return "RequestHeaders[" + headers.size() + " headers]";
  }
}
