package io.aigw.watchers.directory;

import java.util.List;
import java.util.Optional;

/**
 * What the watcher knows about one file: the version it last took (or rejected), the version it is
 * waiting on, and the objects of the last version that parsed. Confined to the scanning thread.
 *
 * <p>Debounce: a new version of a file (new content, or its disappearance) is taken only once two
 * consecutive polls have seen the same thing, so a file caught half-written is never read as a
 * version of its own. The first scan takes every file at once.
 */
final class TrackedFile {

  /** The content hash of a file that is not there. */
  static final String ABSENT = "absent";

  /** Prefix of the "hash" of a file that exists but could not be read; the rest is the reason. */
  static final String UNREADABLE = "unreadable:";

  /**
   * A modification time this close to a read may hide a later write with the same time (file
   * systems stamp with a coarse clock), so such a file is read again instead of trusted.
   */
  static final long RACY_WINDOW_MILLIS = 2_000;

  /** The attributes that change when a file is written or replaced. */
  record Stat(long size, long modifiedMillis, Object fileKey) {}

  private Stat stat;
  private long readAtMillis;
  private String seenHash;

  private String takenHash;
  private String pendingHash;
  private byte[] pendingContent;
  private List<Manifest> contribution;

  /** What a poll saw: a content hash ({@link #ABSENT} when gone) and the bytes when read. */
  record Observation(String hash, byte[] content) {}

  /**
   * Records one poll's observation and answers whether it is a version to take now. The bytes to
   * parse come with the answer (those of the first sighting when this sighting was not re-read).
   */
  Optional<Observation> observe(Observation seen, boolean takeAtOnce) {
    if (seen.hash().equals(takenHash)) {
      pendingHash = null;
      pendingContent = null;
      return Optional.empty();
    }
    if (takeAtOnce || seen.hash().equals(pendingHash)) {
      byte[] content = seen.content() != null ? seen.content() : pendingContent;
      pendingHash = null;
      pendingContent = null;
      takenHash = seen.hash();
      return Optional.of(new Observation(seen.hash(), content));
    }
    pendingHash = seen.hash();
    pendingContent = seen.content();
    return Optional.empty();
  }

  /**
   * The hash of the content last read, when {@code now} still matches the attributes seen then and
   * the read was made well after the file's last modification; empty when the file must be read.
   */
  Optional<String> unchanged(Stat now) {
    boolean settled = now.modifiedMillis() + RACY_WINDOW_MILLIS < readAtMillis;
    return now.equals(stat) && settled ? Optional.ofNullable(seenHash) : Optional.empty();
  }

  /** Remembers a fresh read, for {@link #unchanged}. */
  void read(Stat now, long atMillis, String hash) {
    stat = now;
    readAtMillis = atMillis;
    seenHash = hash;
  }

  /** The hash of the version waiting for a second sighting, if any. */
  Optional<String> pendingHash() {
    return Optional.ofNullable(pendingHash);
  }

  /** The last version taken (parsed or not), {@code null} before the first. */
  String takenHash() {
    return takenHash;
  }

  /** The objects of the last version that parsed; empty while no version has parsed. */
  Optional<List<Manifest>> contribution() {
    return Optional.ofNullable(contribution);
  }

  void contribute(List<Manifest> manifests) {
    contribution = List.copyOf(manifests);
  }
}
