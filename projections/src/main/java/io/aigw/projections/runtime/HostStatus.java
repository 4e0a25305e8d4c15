package io.aigw.projections.runtime;

import io.aigw.projections.snapshot.FoldFailure;
import java.util.List;
import java.util.Optional;

/**
 * What a host reports about itself (admin UI, health): the last folded seq, whether the initial
 * replay finished, the seqs of the snapshots it keeps, how many entries its projection could not
 * fold and the latest of those failures.
 */
public record HostStatus(
    String name,
    long seq,
    boolean ready,
    List<Long> snapshotSeqs,
    long failures,
    Optional<FoldFailure> lastFailure) {

  public HostStatus {
    snapshotSeqs = List.copyOf(snapshotSeqs);
  }
}
