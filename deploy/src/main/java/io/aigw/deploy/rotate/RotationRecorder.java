package io.aigw.deploy.rotate;

import io.aigw.core.model.BackendSecurityPolicy;

/**
 * Where the rotators record how rotating a policy's credential went, for the policy's status: the
 * controller appends it to the log as a {@link io.aigw.core.event.RotationOutcome}.
 */
@FunctionalInterface
public interface RotationRecorder {

  /** Records nothing: a policy's status then never says that its rotation fails. */
  RotationRecorder NONE = (policy, failure) -> {};

  /**
   * Records that rotating {@code policy}'s credential failed because of {@code failure}, or, when
   * that is empty, that it succeeded. Must not block.
   */
  void record(BackendSecurityPolicy policy, String failure);
}
