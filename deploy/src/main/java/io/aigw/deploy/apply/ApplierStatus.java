package io.aigw.deploy.apply;

/**
 * A snapshot of a {@link KubernetesApplier}: whether its first comparison with the cluster is done,
 * how it writes, the seq of the last state it has taken in, what is pending (queued, in flight,
 * waiting for a retry, outcomes not yet committed to the log), the targets whose last outcome was
 * Failed, and how many outcomes of each kind it has recorded.
 */
public record ApplierStatus(
    boolean swept,
    boolean serverSideApply,
    long seenSeq,
    int queued,
    int inFlight,
    int waiting,
    int recording,
    int failing,
    long created,
    long patched,
    long deleted,
    long noop,
    long failed,
    long retries,
    long sweeps) {

  /**
   * True when the applier has taken in {@code seq}, has nothing left to do for it, and every
   * outcome it recorded is in the log.
   */
  public boolean settledAt(long seq) {
    return swept
        && seenSeq >= seq
        && queued == 0
        && inFlight == 0
        && waiting == 0
        && recording == 0;
  }
}
