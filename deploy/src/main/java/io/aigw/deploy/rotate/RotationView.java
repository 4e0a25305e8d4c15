package io.aigw.deploy.rotate;

/**
 * What the controller's fold holds that the rotators look at without an API call: the rotated
 * Secrets, so that one deleted or taken over between two rotations is written again at once, and
 * the ReferenceGrants, so that a policy reads a Secret of another namespace only when that
 * namespace allows it.
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
}
