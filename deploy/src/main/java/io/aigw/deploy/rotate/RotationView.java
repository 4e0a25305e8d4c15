package io.aigw.deploy.rotate;

import io.aigw.core.event.RotationOutcome;
import java.util.Optional;

/**
 * What the controller's fold holds that the rotators look at without an API call: the rotated
 * Secrets, so that one deleted or taken over between two rotations is written again at once, the
 * ReferenceGrants, so that a policy reads a Secret of another namespace only when that namespace
 * allows it, and the failed rotations recorded, so that each failure and recovery is recorded once.
 */
public interface RotationView {

  /** Nothing known: Secrets are looked at only when due, and no grant exists. */
  RotationView UNKNOWN =
      new RotationView() {
        @Override
        public boolean holds(String namespace, String name, String ownerUid) {
          return true;
        }

        @Override
        public boolean granted(String fromNamespace, String toNamespace, String secretName) {
          return false;
        }
      };

  /**
   * Whether Secret {@code namespace/name} exists, owned by the policy of uid {@code ownerUid} (any
   * owner when null).
   */
  boolean holds(String namespace, String name, String ownerUid);

  /**
   * Whether a ReferenceGrant in {@code toNamespace} lets BackendSecurityPolicies of {@code
   * fromNamespace} refer to Secret {@code secretName} there.
   */
  boolean granted(String fromNamespace, String toNamespace, String secretName);

  /**
   * The failed rotation the log holds for policy {@code namespace/name}, until a success of that
   * policy is recorded or the policy goes, so that the rotators record only what changes it. None
   * by default: a view without the log's outcomes gets every failure recorded.
   */
  default Optional<RotationOutcome> failure(String namespace, String name) {
    return Optional.empty();
  }
}
