package io.aigw.admin.server;

import java.util.Optional;

/** What a bearer token may do: read everything, or also replay and restore. */
public enum Role {
  READ_ONLY("read-only"),
  ADMIN("admin");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  /** The name used in the token file and in {@code /api/whoami}. */
  public String label() {
    return label;
  }

  public static Optional<Role> parse(String text) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "admin" -> Optional.of(ADMIN);
      case "read-only", "readonly", "read" -> Optional.of(READ_ONLY);
      default -> Optional.empty();
    };
  }
}
