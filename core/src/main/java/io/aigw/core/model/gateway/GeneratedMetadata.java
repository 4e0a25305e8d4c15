package io.aigw.core.model.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Metadata of an object aigw generates: only what aigw sets, so server-side apply owns nothing
 * else. Label and annotation order does not matter (writers sort keys).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GeneratedMetadata(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<OwnerReference> ownerReferences) {

  public GeneratedMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    ownerReferences = ownerReferences == null ? List.of() : List.copyOf(ownerReferences);
  }

  /** A controller owner reference: deleting the owner garbage-collects the object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OwnerReference(
      String apiVersion,
      String kind,
      String name,
      String uid,
      boolean controller,
      boolean blockOwnerDeletion) {

    public static OwnerReference controllerOf(
        String apiVersion, String kind, String name, String uid) {
      return new OwnerReference(apiVersion, kind, name, uid, true, true);
    }
  }
}
