package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Top-level JSON fields of the upstream request body to set and remove. A value is JSON text
 * ({@code "0.7"}, {@code "\"text\""}, {@code "{\"a\":1}"}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BodyMutation(List<Field> set, List<String> remove) {

  public BodyMutation {
    set = set == null ? List.of() : List.copyOf(set);
    remove = remove == null ? List.of() : List.copyOf(remove);
  }

  /** One field to set: its name and its value as JSON text. */
  public record Field(String path, String value) {
    public Field {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }
  }
}
