package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import java.util.Optional;

/** The objects aigw generated as a watch of the cluster last saw them. */
@FunctionalInterface
public interface LiveObjects {

  /** The live object under {@code key}; empty when the watch saw none. */
  Optional<JsonNode> get(ObjectKey key);
}
