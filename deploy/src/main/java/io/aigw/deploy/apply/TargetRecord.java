package io.aigw.deploy.apply;

import io.aigw.projections.status.ResourceStatus;
import java.util.Optional;

/**
 * What the applier knows about one target's live side, kept between reconciles so that a change
 * that leaves an object as it was costs no API call. Confined to the applier's thread.
 */
final class TargetRecord {

  /** Whether the live object exists, as far as the applier knows. */
  enum Existence {
    EXISTS,
    ABSENT,
    UNKNOWN
  }

  Existence existence = Existence.ABSENT;

  /** The hash of the object last confirmed live (applied or found equal); empty when none. */
  String appliedHash = "";

  /** The status last confirmed live. */
  Optional<ResourceStatus> status = Optional.empty();

  /** Why the next apply is a repair (set by the drift check); empty otherwise. */
  String drift = "";

  /** Consecutive transient failures. */
  int attempts;

  Known known() {
    return new Known(existence, appliedHash, status, drift);
  }

  void applied(String hash) {
    existence = Existence.EXISTS;
    appliedHash = hash;
    drift = "";
  }

  void gone() {
    existence = Existence.ABSENT;
    appliedHash = "";
    drift = "";
  }

  /** An immutable copy, for a reconcile running off the applier's thread. */
  record Known(
      Existence existence, String appliedHash, Optional<ResourceStatus> status, String drift) {}
}
