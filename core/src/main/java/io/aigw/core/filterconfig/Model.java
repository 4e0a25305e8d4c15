package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A model {@code GET /v1/models} lists.
 *
 * @param name the model id clients send
 * @param ownedBy the {@code owned_by} field
 * @param createdAt RFC 3339 UTC time, the {@code created} field
 */
@JsonPropertyOrder(alphabetic = true)
public record Model(String name, String ownedBy, String createdAt) {

  public Model {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ownedBy, "ownedBy");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
