package io.aigw.watchers.secret;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Secret split in two: {@code recorded}, safe to log (metadata, type, and {@code data} with a
 * {@code sha256:<hex>} digest per key), and {@code values}, the decoded bytes per key, which go to
 * {@link SecretValues} and nowhere else. {@link #toString()} names the keys only.
 */
public record DigestedSecret(ObjectNode recorded, Map<String, byte[]> values) {

  public DigestedSecret {
    values = Map.copyOf(values);
  }

  @Override
  public String toString() {
    return "DigestedSecret[recorded=" + recorded + ", keys=" + new TreeSet<>(values.keySet()) + "]";
  }
}
