package io.aigw.projections.snapshot;

/**
 * When to keep a state and how many to keep. A state is kept after every entry whose seq is a
 * multiple of {@code interval}; at most {@code maxRetained} are kept, thinned evenly (see {@link
 * Snapshots}). {@code schemaVersion} is the version of the state's shape: a snapshot of another
 * version is never used. When {@code soft}, the garbage collector may drop a kept state when memory
 * runs short (a snapshot is only a cache, and a dropped one is skipped: {@code stateAt} folds from
 * an older one), so snapshots never make the process run out of memory.
 */
public record SnapshotPolicy(long interval, int maxRetained, int schemaVersion, boolean soft) {

  /**
   * Every 500 entries, at most 2,048 kept (a 1,024,000-entry log at full density), released under
   * memory pressure. Dense because a {@code stateAt} folds and derives what lies between the
   * nearest snapshot and its seq; snapshots share what did not change (on a 1,000,000-entry log,
   * 2,000 of them hold 8% more than 1,000: BENCHMARKS.md), and a host short of heap keeps fewer.
   */
  public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(500, 2_048, 1, true);

  public SnapshotPolicy {
    if (interval < 1) {
      throw new IllegalArgumentException("interval must be >= 1, got " + interval);
    }
    if (maxRetained < 1) {
      throw new IllegalArgumentException("maxRetained must be >= 1, got " + maxRetained);
    }
  }

  /** A policy whose snapshots stay until thinned out. */
  public SnapshotPolicy(long interval, int maxRetained, int schemaVersion) {
    this(interval, maxRetained, schemaVersion, false);
  }

  public SnapshotPolicy withInterval(long newInterval) {
    return new SnapshotPolicy(newInterval, maxRetained, schemaVersion, soft);
  }

  public SnapshotPolicy withMaxRetained(int newMaxRetained) {
    return new SnapshotPolicy(interval, newMaxRetained, schemaVersion, soft);
  }

  public SnapshotPolicy withSchemaVersion(int newSchemaVersion) {
    return new SnapshotPolicy(interval, maxRetained, newSchemaVersion, soft);
  }

  public SnapshotPolicy withSoft(boolean newSoft) {
    return new SnapshotPolicy(interval, maxRetained, schemaVersion, newSoft);
  }

  /** Whether the state after {@code seq} is one to keep. */
  public boolean isDue(long seq) {
    return seq > 0 && seq % interval == 0;
  }
}
