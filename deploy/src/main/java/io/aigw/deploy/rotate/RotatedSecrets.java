package io.aigw.deploy.rotate;

/**
 * What the controller's fold holds of the rotated Secrets, so that a Secret deleted or taken over
 * between two rotations is written again at once instead of when its credential was due.
 */
@FunctionalInterface
public interface RotatedSecrets {

  /** Nothing known: a Secret is looked at only when its credential is due. */
  RotatedSecrets UNKNOWN = (namespace, name, ownerUid) -> true;

  /**
   * Whether Secret {@code namespace/name} exists, owned by the policy of uid {@code ownerUid} (any
   * owner when null).
   */
  boolean holds(String namespace, String name, String ownerUid);
}
