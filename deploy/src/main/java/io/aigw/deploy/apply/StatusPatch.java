package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.projections.status.Condition;
import io.aigw.projections.status.ResourceStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The status write for one AI Gateway object: its conditions as the projection wants them, each
 * with {@code observedGeneration} and a {@code lastTransitionTime} that is kept from the live
 * condition of the same type when its status is unchanged (the Kubernetes convention: a new message
 * alone is not a transition) and is {@code now} otherwise. The conditions replace the live ones
 * wholesale, as upstream does, through a JSON merge patch of the status subresource.
 */
public final class StatusPatch {

  private StatusPatch() {}

  /** The merge patch that gives {@code live} the wanted status; empty when it already has it. */
  public static Optional<ObjectNode> of(ResourceStatus wanted, JsonNode live, Instant now) {
    JsonNode liveConditions = live.path("status").path("conditions");
    ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
    for (Condition condition : wanted.conditions()) {
      JsonNode previous = sameType(liveConditions, condition.type());
      String since =
          previous != null
                  && condition.status().equals(previous.path("status").asText())
                  && previous.hasNonNull("lastTransitionTime")
              ? previous.get("lastTransitionTime").asText()
              : now.truncatedTo(ChronoUnit.SECONDS).toString();
      ObjectNode node = conditions.addObject();
      node.put("type", condition.type());
      node.put("status", condition.status());
      node.put("reason", condition.reason());
      node.put("message", condition.message());
      node.put("observedGeneration", wanted.observedGeneration());
      node.put("lastTransitionTime", since);
    }
    if (sameConditions(conditions, liveConditions)) {
      return Optional.empty();
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.withObjectProperty("status").set("conditions", conditions);
    return Optional.of(patch);
  }

  private static JsonNode sameType(JsonNode conditions, String type) {
    for (JsonNode condition : conditions) {
      if (type.equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return null;
  }

  private static boolean sameConditions(ArrayNode wanted, JsonNode live) {
    if (!live.isArray() || live.size() != wanted.size()) {
      return false;
    }
    for (int i = 0; i < wanted.size(); i++) {
      if (!OwnedFields.covers(wanted.get(i), live.get(i))) {
        return false;
      }
    }
    return true;
  }
}
