package io.aigw.core.event;

/** What applying one object (or its status) to the cluster did. */
public enum Outcome {
  /** The object did not exist and was created. */
  CREATED,
  /** The object existed and was changed to match the desired one. */
  PATCHED,
  /** An object aigw owns and no longer wants was deleted. */
  DELETED,
  /** The live object already matched: nothing was written. */
  NOOP,
  /** The write failed for good (after retries); {@code reason} says why. */
  FAILED
}
