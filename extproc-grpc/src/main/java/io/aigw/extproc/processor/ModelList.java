package io.aigw.extproc.processor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.Model;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bodies of {@code GET /v1/models} (OpenAI's list shape) and {@code GET /anthropic/v1/models}
 * (Anthropic's Models API shape) over the routes' models.
 */
public final class ModelList {

  private ModelList() {}

  /** {@code {"object":"list","data":[{"id","object":"model","owned_by","created"}]}}, no dups. */
  public static byte[] body(List<Route> routes) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    Set<String> seen = new HashSet<>();
    for (Route route : routes) {
      for (Model model : route.models()) {
        if (seen.add(model.name())) {
          ObjectNode entry = data.addObject();
          entry.put("id", model.name());
          entry.put("object", "model");
          entry.put("owned_by", model.ownedBy());
          entry.put("created", epochSeconds(model.createdAt()));
        }
      }
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code {"data":[{"type":"model","id","display_name","created_at"}],"has_more":false,
   * "first_id","last_id"}}, no dups; the ids are left out when there is no model. The name doubles
   * as display name since a route knows no other.
   */
  public static byte[] anthropicBody(List<Route> routes) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode data = root.putArray("data");
    Set<String> seen = new LinkedHashSet<>();
    for (Route route : routes) {
      for (Model model : route.models()) {
        if (seen.add(model.name())) {
          ObjectNode entry = data.addObject();
          entry.put("type", "model");
          entry.put("id", model.name());
          entry.put("display_name", model.name());
          entry.put(
              "created_at", Instant.ofEpochSecond(epochSeconds(model.createdAt())).toString());
        }
      }
    }
    root.put("has_more", false);
    if (!seen.isEmpty()) {
      List<String> ids = List.copyOf(seen);
      root.put("first_id", ids.get(0));
      root.put("last_id", ids.get(ids.size() - 1));
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long epochSeconds(String rfc3339) {
    try {
      return Instant.parse(rfc3339).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
