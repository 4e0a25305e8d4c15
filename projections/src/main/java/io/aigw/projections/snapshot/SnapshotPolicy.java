package io.aigw.projections.snapshot;

/**
 * When to keep a state and how many to keep. A state is kept after every entry whose seq is a
 * multiple of {@code interval}; at most {@code maxRetained} are kept, thinned evenly (see {@link
 * Snapshots#offer}). {@code schemaVersion} is the version of the state's shape: a snapshot of
 * another version is never used.
 */
public record SnapshotPolicy(long interval, int maxRetained, int schemaVersion) {

  /** Every 10,000 entries, at most 128 kept: a 1,280,000-entry log is covered at full density. */
  public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(10_000, 128, 1);

  public SnapshotPolicy {
    if (interval < 1) {
      throw new IllegalArgumentException("interval must be >= 1, got " + interval);
    }
    if (maxRetained < 1) {
      throw new IllegalArgumentException("maxRetained must be >= 1, got " + maxRetained);
    }
  }

  public SnapshotPolicy withInterval(long newInterval) {
    return new SnapshotPolicy(newInterval, maxRetained, schemaVersion);
  }

  public SnapshotPolicy withMaxRetained(int newMaxRetained) {
    return new SnapshotPolicy(interval, newMaxRetained, schemaVersion);
  }

  public SnapshotPolicy withSchemaVersion(int newSchemaVersion) {
    return new SnapshotPolicy(interval, maxRetained, newSchemaVersion);
  }

  /** Whether the state after {@code seq} is one to keep. */
  public boolean isDue(long seq) {
    return seq > 0 && seq % interval == 0;
  }
}
