package io.aigw.projections.world;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import java.util.Optional;

/**
 * The Gateway API's ReferenceGrants in a world: whether objects of one kind in one namespace may
 * refer to an object in another. A grant lives in the namespace referred to; a grant being deleted
 * allows nothing any more.
 */
public final class ReferenceGrants {

  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String KIND = "ReferenceGrant";

  /** One side of a reference: an API group ({@code ""} = core) and a kind. */
  public record Kind(String group, String kind) {}

  private ReferenceGrants() {}

  /**
   * The seq of the first grant in {@code toNamespace} that lets objects of kind {@code from} in
   * {@code fromNamespace} refer to the object {@code toName} of kind {@code to}, if any.
   */
  public static Optional<Long> find(
      WorldState world,
      Kind from,
      String fromNamespace,
      Kind to,
      String toNamespace,
      String toName) {
    ObjectKey first = new ObjectKey(GROUP, KIND, toNamespace, "");
    ObjectKey last = new ObjectKey(GROUP, KIND, toNamespace + '\0', "");
    for (WorldObject grant : world.objects().subMap(first, last).values()) {
      JsonNode object = grant.object();
      if (!object.path("metadata").hasNonNull("deletionTimestamp")
          && allows(object.path("spec"), from, fromNamespace, to, toName)) {
        return Optional.of(grant.seq());
      }
    }
    return Optional.empty();
  }

  private static boolean allows(
      JsonNode spec, Kind from, String fromNamespace, Kind to, String toName) {
    boolean fromMatches = false;
    for (JsonNode entry : spec.path("from")) {
      fromMatches |=
          from.group().equals(entry.path("group").asText())
              && from.kind().equals(entry.path("kind").asText())
              && fromNamespace.equals(entry.path("namespace").asText());
    }
    if (!fromMatches) {
      return false;
    }
    for (JsonNode entry : spec.path("to")) {
      String name = entry.path("name").asText("");
      if (to.group().equals(entry.path("group").asText())
          && to.kind().equals(entry.path("kind").asText())
          && (name.isEmpty() || name.equals(toName))) {
        return true;
      }
    }
    return false;
  }
}
