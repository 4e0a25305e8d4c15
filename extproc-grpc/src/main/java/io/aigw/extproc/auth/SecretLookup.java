package io.aigw.extproc.auth;

import java.util.Optional;

/**
 * Secret values held in memory by the launcher in {@code aigw run} (the watchers keep them; this
 * module does not depend on the watchers, the launcher adapts its store to this interface).
 */
@FunctionalInterface
public interface SecretLookup {

  /** The value of {@code key} in Secret {@code namespace/name}, or empty. */
  Optional<String> value(String namespace, String name, String key);
}
