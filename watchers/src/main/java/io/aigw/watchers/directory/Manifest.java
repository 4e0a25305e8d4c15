package io.aigw.watchers.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.event.ObjectKey;
import java.util.Map;
import java.util.TreeSet;

/**
 * One object as a file declares it, ready to record: namespace filled in, uid set, the fields a
 * server owns removed, a Secret's values replaced by digests. {@code secretValues} holds the values
 * of a Secret (empty for every other kind) and is never printed. {@code line} is where the document
 * starts in its file.
 */
record Manifest(
    ObjectKey key,
    String apiVersion,
    int line,
    ObjectNode object,
    Map<String, byte[]> secretValues) {

  Manifest {
    secretValues = Map.copyOf(secretValues);
  }

  boolean isSecret() {
    return "".equals(key.group()) && "Secret".equals(key.kind());
  }

  @Override
  public String toString() {
    return "Manifest["
        + key
        + " line "
        + line
        + (secretValues.isEmpty() ? "" : " secret keys " + new TreeSet<>(secretValues.keySet()))
        + "]";
  }
}
