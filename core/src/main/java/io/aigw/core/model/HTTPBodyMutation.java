package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Top-level JSON body fields to set or remove on the request to a backend. Lists and maps are never
 * null: absent reads as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HTTPBodyMutation(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<HTTPBodyField> set,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> remove) {
  public HTTPBodyMutation {
    set = set == null ? List.of() : List.copyOf(set);
    remove = remove == null ? List.of() : List.copyOf(remove);
  }
}
