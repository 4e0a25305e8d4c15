package io.aigw.extproc.envoy;

import java.util.Objects;

/**
 * Where Envoy reaches a backend: host (DNS name or IP), port, and whether to speak TLS (port 443
 * means TLS unless said otherwise).
 */
public record BackendEndpoint(String host, int port, boolean tls) {

  public BackendEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** TLS exactly when the port is 443. */
  public static BackendEndpoint of(String host, int port) {
    return new BackendEndpoint(host, port, port == 443);
  }

  /**
   * From a URL: {@code https://api.openai.com}, {@code http://127.0.0.1:8080}; the path is ignored.
   */
  public static BackendEndpoint parse(String url) {
    int scheme = url.indexOf("://");
    boolean tls = scheme < 0 || url.substring(0, scheme).equalsIgnoreCase("https");
    String rest = scheme < 0 ? url : url.substring(scheme + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int colon = authority.lastIndexOf(':');
    if (colon > 0 && authority.indexOf(']') < colon) {
      return new BackendEndpoint(
          authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)), tls);
    }
    return new BackendEndpoint(authority, tls ? 443 : 80, tls);
  }

  /** Whether the host is an IPv4 or IPv6 literal (a STATIC cluster) rather than a name. */
  boolean isIpLiteral() {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
  }
}
