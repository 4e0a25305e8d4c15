package io.aigw.projections.runtime;

import io.aigw.projections.snapshot.SnapshotPolicy;
import java.util.Objects;

/**
 * How a {@link ProjectionHost} runs: its {@code name} (in log lines, its status and its thread's
 * name), its snapshot policy, and how many entries it reads from the log at a time.
 */
public record HostOptions(String name, SnapshotPolicy snapshots, int readBatch) {

  public HostOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(snapshots, "snapshots");
    if (readBatch < 1) {
      throw new IllegalArgumentException("readBatch must be >= 1, got " + readBatch);
    }
  }

  /** Snapshots as {@link SnapshotPolicy#DEFAULT}, reads of 4,096 entries. */
  public static HostOptions named(String name) {
    return new HostOptions(name, SnapshotPolicy.DEFAULT, 4096);
  }

  public HostOptions withSnapshots(SnapshotPolicy newSnapshots) {
    return new HostOptions(name, newSnapshots, readBatch);
  }

  public HostOptions withReadBatch(int newReadBatch) {
    return new HostOptions(name, snapshots, newReadBatch);
  }
}
