package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Headers to set or remove on the request to a backend. Lists and maps are never null: absent reads
 * as empty (and is not written back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HTTPHeaderMutation(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<HTTPHeader> set,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> remove) {
  public HTTPHeaderMutation {
    set = set == null ? List.of() : List.copyOf(set);
    remove = remove == null ? List.of() : List.copyOf(remove);
  }
}
