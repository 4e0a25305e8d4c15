package io.aigw.extproc.processor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.filterconfig.Model;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The body of {@code GET /v1/models}: OpenAI's list shape over the routes' models. */
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

  private static long epochSeconds(String rfc3339) {
    try {
      return Instant.parse(rfc3339).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
