package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether a live object still has every field aigw sets, with aigw's values: the comparison behind
 * Noop and the drift check. Only the desired object's fields count, so what the server adds
 * (defaults inside list items, {@code status}, {@code uid}, …) or other controllers own never reads
 * as drift. Of {@code metadata} only labels, annotations and owner references are compared.
 *
 * <p>Lists are compared item by item and must have the same length; an empty list or map in the
 * desired object matches an absent one (the server drops empty fields); numbers compare by value.
 */
public final class OwnedFields {

  private static final Set<String> METADATA_FIELDS =
      Set.of("name", "namespace", "labels", "annotations", "ownerReferences");

  private OwnedFields() {}

  /** True when {@code live} has every field of {@code desired} with the same value. */
  public static boolean coveredBy(JsonNode desired, JsonNode live) {
    if (!desired.isObject() || !live.isObject()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode liveValue = live.get(field.getKey());
      if ("metadata".equals(field.getKey())) {
        if (!metadataCovered(field.getValue(), liveValue)) {
          return false;
        }
      } else if (!covers(field.getValue(), liveValue)) {
        return false;
      }
    }
    return true;
  }

  private static boolean metadataCovered(JsonNode desired, JsonNode live) {
    if (live == null || !live.isObject()) {
      return false;
    }
    for (String name : METADATA_FIELDS) {
      JsonNode wanted = desired.get(name);
      if (wanted != null && !covers(wanted, live.get(name))) {
        return false;
      }
    }
    return true;
  }

  static boolean covers(JsonNode desired, JsonNode live) {
    if (desired == null || desired.isNull()) {
      return live == null || live.isNull();
    }
    if (live == null || live.isNull() || live.isMissingNode()) {
      return isEmptyContainer(desired);
    }
    if (desired.isObject()) {
      return live.isObject() && objectCovered(desired, live);
    }
    if (desired.isArray()) {
      return live.isArray() && arrayCovered(desired, live);
    }
    if (desired.isNumber() && live.isNumber()) {
      return desired.decimalValue().compareTo(live.decimalValue()) == 0;
    }
    return desired.equals(live);
  }

  private static boolean objectCovered(JsonNode desired, JsonNode live) {
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!covers(field.getValue(), live.get(field.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean arrayCovered(JsonNode desired, JsonNode live) {
    if (desired.size() != live.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      if (!covers(desired.get(i), live.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isEmptyContainer(JsonNode node) {
    return (node.isArray() || node.isObject()) && node.isEmpty();
  }
}
