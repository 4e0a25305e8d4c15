package io.aigw.admin.history;

import io.aigw.core.event.ObjectKey;
import java.util.Optional;

/**
 * Which entries a reader wants: exact kind, namespace and name, each optional (empty matches
 * everything). A cluster-scoped object has the namespace {@code ""}.
 */
public record LogFilter(Optional<String> kind, Optional<String> namespace, Optional<String> name) {

  public static final LogFilter ALL =
      new LogFilter(Optional.empty(), Optional.empty(), Optional.empty());

  public boolean matches(ObjectKey key) {
    return kind.map(key.kind()::equals).orElse(true)
        && namespace.map(key.namespace()::equals).orElse(true)
        && name.map(key.name()::equals).orElse(true);
  }

  public boolean isAll() {
    return kind.isEmpty() && namespace.isEmpty() && name.isEmpty();
  }
}
