package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The subset of Kubernetes object metadata aigw reads; absent labels/annotations read as empty
 * maps. Lists and maps are never null: absent reads as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectMeta(
    String name,
    String namespace,
    String uid,
    String resourceVersion,
    Long generation,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations,
    String creationTimestamp) {
  public ObjectMeta {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** The uid, empty for an object that has none (one read from a file). */
  public String uidOrEmpty() {
    return uid == null ? "" : uid;
  }

  /** The generation, 0 for an object that has none. */
  public long generationOrZero() {
    return generation == null ? 0 : generation;
  }
}
