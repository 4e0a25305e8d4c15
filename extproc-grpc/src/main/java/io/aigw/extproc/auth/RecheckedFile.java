package io.aigw.extproc.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A credential file of the pod's environment (the AWS shared credentials file, the key {@code
 * GOOGLE_APPLICATION_CREDENTIALS} names), read at most once a second: requests read it on the event
 * loop.
 */
final class RecheckedFile {

  private static final long RECHECK_NANOS = 1_000_000_000L;

  private record Read(Path path, Optional<String> text, long at) {}

  private final Function<Path, Optional<String>> files;
  private final LongSupplier nanoClock;
  private volatile Read last;

  RecheckedFile(Function<Path, Optional<String>> files, LongSupplier nanoClock) {
    this.files = files;
    this.nanoClock = nanoClock;
  }

  /** The file's text, read again only once a second has passed or for another path. */
  Optional<String> text(Path path) {
    long now = nanoClock.getAsLong();
    Read seen = last;
    if (seen != null && seen.path().equals(path) && now - seen.at() < RECHECK_NANOS) {
      return seen.text();
    }
    Optional<String> text = files.apply(path);
    last = new Read(path, text, now);
    return text;
  }

  /** A readable file's text, else none. */
  static Optional<String> read(Path path) {
    try {
      return Files.isReadable(path)
          ? Optional.of(Files.readString(path, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
