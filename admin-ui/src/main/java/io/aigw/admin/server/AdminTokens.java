package io.aigw.admin.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens of the admin API and their roles. Only SHA-256 digests of the tokens are held,
 * and a presented token is looked up by its digest, so neither memory nor timing gives a token
 * away.
 *
 * <p>The token file ({@code --admin-token-file}) has one token per line as {@code role:token},
 * where role is {@code admin} or {@code read-only}; blank lines, lines starting with {@code #} and
 * a {@code #} comment after a token are ignored; a token given two roles is refused. A token is at
 * least 16 characters with no whitespace. Errors name the line, never the token.
 */
public final class AdminTokens {

  public static final int MIN_TOKEN_LENGTH = 16;

  private final Map<String, Role> roleByDigest;
  private final Optional<Map<Role, String>> generated;

  private AdminTokens(Map<String, Role> roleByDigest, Optional<Map<Role, String>> generated) {
    this.roleByDigest = Map.copyOf(roleByDigest);
    this.generated = generated;
  }

  /** Tokens given in code (tests, embedding). */
  public static AdminTokens of(Map<String, Role> tokens) {
    Map<String, Role> digests = new HashMap<>();
    tokens.forEach(
        (token, role) -> {
          check(token, "a token");
          digests.put(digest(token), role);
        });
    if (digests.isEmpty()) {
      throw new IllegalArgumentException("at least one admin API token is required");
    }
    return new AdminTokens(digests, Optional.empty());
  }

  /** Reads a token file; see the class comment for its format. */
  public static AdminTokens load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  static AdminTokens parse(String text, String where) {
    Map<String, Role> digests = new HashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String at = where + " line " + (i + 1);
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(at + ": expected role:token");
      }
      Role role =
          Role.parse(line.substring(0, colon))
              .orElseThrow(
                  () -> new IllegalArgumentException(at + ": the role must be admin or read-only"));
      String token = withoutComment(line.substring(colon + 1)).strip();
      check(token, at);
      Role given = digests.putIfAbsent(digest(token), role);
      if (given != null && given != role) {
        // which role would win is a guess no one should have to make
        throw new IllegalArgumentException(
            at + ": this token is also given to " + given.label() + " above; give it one role");
      }
    }
    if (digests.isEmpty()) {
      throw new IllegalArgumentException(where + " has no token");
    }
    return new AdminTokens(digests, Optional.empty());
  }

  /**
   * The tokens of {@code file}, written first with one fresh admin token and one read-only token
   * when it does not exist: readable by the owner only, kept across restarts, and never printed,
   * since a server's standard output is its log.
   */
  public static AdminTokens loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      String text =
          "# aigw admin API tokens, generated at first start; the format of --admin-token-file\n"
              + Role.ADMIN.label()
              + ":"
              + fresh(random)
              + "\n"
              + Role.READ_ONLY.label()
              + ":"
              + fresh(random)
              + "\n";
      Path written = file.resolveSibling(file.getFileName() + ".new");
      Files.deleteIfExists(written);
      if (written.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            written,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(written, text, StandardCharsets.UTF_8);
      Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return load(file);
  }

  /** One fresh admin token and one read-only token (to be shown once, at start). */
  public static AdminTokens generate(SecureRandom random) {
    Map<Role, String> tokens = Map.of(Role.ADMIN, fresh(random), Role.READ_ONLY, fresh(random));
    Map<String, Role> digests = new HashMap<>();
    tokens.forEach((role, token) -> digests.put(digest(token), role));
    return new AdminTokens(digests, Optional.of(tokens));
  }

  private static String fresh(SecureRandom random) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return "aigw_" + HexFormat.of().formatHex(bytes);
  }

  /** The text before a {@code #} that follows whitespace: a comment after the token. */
  private static String withoutComment(String text) {
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == '#' && Character.isWhitespace(text.charAt(i - 1))) {
        return text.substring(0, i);
      }
    }
    return text;
  }

  private static void check(String token, String at) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          at + ": a token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    if (token.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(at + ": a token must not contain whitespace");
    }
  }

  /** The role of a presented token. */
  public Optional<Role> roleOf(String token) {
    return Optional.ofNullable(roleByDigest.get(digest(token)));
  }

  /** The generated tokens by role, when these were generated rather than read. */
  public Optional<Map<Role, String>> generated() {
    return generated;
  }

  /** The lines that show generated tokens to the operator, once. */
  public Optional<String> announcement() {
    return generated.map(
        tokens ->
            "aigw admin API tokens (generated at start, shown only now; use --admin-token-file to"
                + " fix them):\n  admin:     "
                + tokens.get(Role.ADMIN)
                + "\n  read-only: "
                + tokens.get(Role.READ_ONLY)
                + "\n");
  }

  static String digest(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "AdminTokens[" + roleByDigest.size() + " tokens]";
  }
}
