package io.aigw.projections.filterconfig;

import io.aigw.core.model.AiResource;
import java.util.Objects;

/**
 * The version of an AI Gateway object that is in effect: the last one that passed validation (a
 * cluster would have rejected every later, invalid one) and the seq of the log entry that brought
 * it, its provenance.
 */
public record Versioned<T extends AiResource>(T resource, long seq) {

  public Versioned {
    Objects.requireNonNull(resource, "resource");
  }

  public String name() {
    return resource.metadata().name();
  }

  public String namespace() {
    return resource.metadata().namespace();
  }

  /** {@code namespace/name}. */
  public String ref() {
    return namespace() + "/" + name();
  }
}
