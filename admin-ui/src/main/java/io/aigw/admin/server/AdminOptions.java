package io.aigw.admin.server;

import io.aigw.admin.tls.TlsFiles;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the admin server listens, who may call it, and whether it speaks HTTPS (with {@code tls}'s
 * certificate, reloaded when its files change). {@code port} 0 picks a free port (see {@link
 * AdminServer#port()}).
 */
public record AdminOptions(String host, int port, AdminTokens tokens, Optional<TlsFiles> tls) {

  public static final int DEFAULT_PORT = 8080;

  public AdminOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(tls, "tls");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /** Plain HTTP. */
  public AdminOptions(String host, int port, AdminTokens tokens) {
    this(host, port, tokens, Optional.empty());
  }

  /** All interfaces, the given port, plain HTTP. */
  public static AdminOptions of(int port, AdminTokens tokens) {
    return new AdminOptions("0.0.0.0", port, tokens);
  }
}
