package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Headers to set (overwriting) and remove on the upstream request. Names are lower case; a name
 * appears at most once in {@code set}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HeaderMutation(List<Header> set, List<String> remove) {

  public HeaderMutation {
    set = set == null ? List.of() : List.copyOf(set);
    remove = remove == null ? List.of() : List.copyOf(remove);
  }

  /** One header to set. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
