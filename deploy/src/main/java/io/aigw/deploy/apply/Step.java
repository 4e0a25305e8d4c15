package io.aigw.deploy.apply;

import io.aigw.core.event.Outcome;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one reconcile of one target found: the outcome to record (none when nothing was due),
 * whether to try again later, and what the applier now knows about the live object. Computed off
 * the applier's thread; {@code learned} is applied on it.
 */
record Step(
    Optional<Outcome> outcome,
    String reason,
    boolean retry,
    boolean serverSideApplyUnsupported,
    Consumer<TargetRecord> learned) {

  private static final Consumer<TargetRecord> NOTHING = record -> {};

  Step {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(learned, "learned");
  }

  static Step done(Outcome outcome, String reason, Consumer<TargetRecord> learned) {
    return new Step(Optional.of(outcome), reason, false, false, learned);
  }

  static Step done(Outcome outcome, Consumer<TargetRecord> learned) {
    return done(outcome, "", learned);
  }

  /** Nothing was due and nothing is recorded. */
  static Step nothing(Consumer<TargetRecord> learned) {
    return new Step(Optional.empty(), "", false, false, learned);
  }

  static Step nothing() {
    return nothing(NOTHING);
  }

  /** A transient failure: try again after a backoff. */
  static Step retryLater(String reason, Consumer<TargetRecord> learned) {
    return new Step(Optional.empty(), reason, true, false, learned);
  }

  static Step retryLater(String reason) {
    return retryLater(reason, NOTHING);
  }

  /** A failure no retry can fix (until the desired object or the cluster changes). */
  static Step failed(String reason) {
    return done(Outcome.FAILED, reason, NOTHING);
  }

  /**
   * The server does not implement server-side apply: switch to the fallback, and redo the target
   * unless {@code outcome} says the fallback's first write already did the job.
   */
  static Step ssaUnsupported(Optional<Outcome> outcome, Consumer<TargetRecord> learned) {
    return new Step(outcome, "", false, true, learned);
  }

  static Step ssaUnsupported() {
    return ssaUnsupported(Optional.empty(), NOTHING);
  }
}
