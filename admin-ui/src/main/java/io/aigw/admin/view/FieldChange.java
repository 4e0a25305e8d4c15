package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One difference between two versions of an object: {@code path} in the dotted form users write
 * ({@code spec.rules[0].backendRefs[1].weight}), {@code op} {@code added}, {@code removed} or
 * {@code changed}, and the values on either side (absent on the side that has none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldChange(String path, String op, JsonNode from, JsonNode to) {

  public static final String ADDED = "added";
  public static final String REMOVED = "removed";
  public static final String CHANGED = "changed";
}
