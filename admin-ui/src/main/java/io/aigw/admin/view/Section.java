package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a part of the state: how many items match in all, this page's items, and the cursor
 * of the next page (absent on the last).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Section<T>(int total, List<T> items, String next) {

  public Section {
    items = List.copyOf(items);
  }
}
