package io.aigw.extproc.auth;

import io.aigw.core.filterconfig.CredentialFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads credentials from mounted Secret files (the cluster). A value is cached and the file is read
 * again at most once per {@code recheckNanos}, whatever its modification time and size say: a key
 * of the same length copied with its times kept ({@code cp -p}, {@code rsync -a}) is a rotation
 * too, and a key file is small. A file that is empty, disappears or cannot be read gives no
 * credential once two checks in a row found it so; after the first, the last value is served for
 * one more period. A key rewritten in place ({@code echo >}, editors, {@code cp}) is truncated
 * before it is written, and a check in between must not turn every request of the next period into
 * a 500.
 */
public final class FileCredentialSource implements CredentialSource {

  private static final Logger log = LoggerFactory.getLogger(FileCredentialSource.class);

  /** How often a cached file is checked for a change by default: 1 second. */
  public static final long DEFAULT_RECHECK_NANOS = 1_000_000_000L;

  private final LongSupplier nanoClock;
  private final long recheckNanos;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public FileCredentialSource() {
    this(System::nanoTime, DEFAULT_RECHECK_NANOS);
  }

  public FileCredentialSource(LongSupplier nanoClock, long recheckNanos) {
    this.nanoClock = nanoClock;
    this.recheckNanos = recheckNanos;
  }

  /**
   * @param missed the last check found no value and {@code value} is the one before, kept for a
   *     period
   */
  private record Entry(Optional<String> value, long checkedAt, boolean missed) {

    /** A value read from the file, not one kept after a check that found none. */
    boolean served() {
      return value.isPresent() && !missed;
    }
  }

  @Override
  public Optional<String> read(CredentialFile credential) {
    String path = credential.path();
    long now = nanoClock.getAsLong();
    Entry entry = cache.get(path);
    if (entry != null && now - entry.checkedAt() < recheckNanos) {
      return entry.value();
    }
    Entry fresh = load(Path.of(path), entry, now);
    cache.put(path, fresh);
    return fresh.value();
  }

  private static Entry load(Path path, Entry previous, long now) {
    try {
      String value = Files.readString(path, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        return noValue(previous, now);
      }
      if (previous == null || !previous.served() || !previous.value().get().equals(value)) {
        log.atInfo().addKeyValue("path", path).log("credential file (re)loaded");
      }
      return new Entry(Optional.of(value), now, false);
    } catch (IOException | RuntimeException e) {
      if (previous == null || previous.served()) {
        log.atWarn()
            .addKeyValue("path", path)
            .addKeyValue("reason", e.getClass().getSimpleName())
            .log("credential file unreadable");
      }
      return noValue(previous, now);
    }
  }

  /** What a check that found no value gives: the last value once more, else nothing. */
  private static Entry noValue(Entry previous, long now) {
    return previous != null && previous.served()
        ? new Entry(previous.value(), now, true)
        : new Entry(Optional.empty(), now, false);
  }
}
