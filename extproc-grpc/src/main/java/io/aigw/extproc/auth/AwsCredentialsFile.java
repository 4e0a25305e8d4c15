package io.aigw.extproc.auth;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a profile from an AWS shared credentials file ({@code [profile]} sections of {@code key =
 * value} lines; {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code
 * aws_session_token}). The last text parsed is remembered, so a file read per request is parsed
 * once per change.
 */
public final class AwsCredentialsFile {

  private record Parsed(String text, String profile, Optional<RequestCredential.AwsKeys> keys) {}

  private volatile Parsed last = new Parsed("", "", Optional.empty());

  /** The keys of {@code profile} in {@code text}, or empty when it has none. */
  public Optional<RequestCredential.AwsKeys> keys(String text, String profile) {
    Parsed seen = last;
    if (seen.text().equals(text) && seen.profile().equals(profile)) {
      return seen.keys();
    }
    Optional<RequestCredential.AwsKeys> keys = parse(text, profile);
    last = new Parsed(text, profile, keys);
    return keys;
  }

  /** Parses without caching. */
  public static Optional<RequestCredential.AwsKeys> parse(String text, String profile) {
    Map<String, String> values = new HashMap<>();
    String section = null;
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        if (section.startsWith("profile ")) {
          section = section.substring("profile ".length()).strip();
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && profile.equals(section)) {
        values.put(
            line.substring(0, eq).strip().toLowerCase(Locale.ROOT), line.substring(eq + 1).strip());
      }
    }
    String id = values.get("aws_access_key_id");
    String secret = values.get("aws_secret_access_key");
    if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RequestCredential.AwsKeys(
            id,
            secret,
            Optional.ofNullable(values.get("aws_session_token")).filter(s -> !s.isEmpty())));
  }
}
