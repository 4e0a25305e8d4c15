package io.aigw.admin.server;

import java.util.Objects;

/**
 * Where the admin server listens and who may call it. {@code port} 0 picks a free port (see {@link
 * AdminServer#port()}).
 */
public record AdminOptions(String host, int port, AdminTokens tokens) {

  public static final int DEFAULT_PORT = 8080;

  public AdminOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tokens, "tokens");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /** All interfaces, the given port. */
  public static AdminOptions of(int port, AdminTokens tokens) {
    return new AdminOptions("0.0.0.0", port, tokens);
  }
}
