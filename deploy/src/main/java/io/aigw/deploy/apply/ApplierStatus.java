package io.aigw.deploy.apply;

/**
 * A snapshot of a {@link KubernetesApplier}: whether its first comparison with the cluster is done,
 * how it writes, the seq of the last state it has taken in, what is pending (queued, in flight,
 * waiting for a retry), the targets whose last outcome was Failed, and how many outcomes of each
 * kind it has recorded.
 */
public record ApplierStatus(
    boolean swept,
    boolean serverSideApply,
    long seenSeq,
    int queued,
    int inFlight,
    int waiting,
    int failing,
    long created,
    long patched,
    long deleted,
    long noop,
    long failed,
    long retries,
    long sweeps) {

  /** True when the applier has taken in {@code seq} and has nothing left to do for it. */
  public boolean settledAt(long seq) {
    return swept && seenSeq >= seq && queued == 0 && inFlight == 0 && waiting == 0;
  }
}
