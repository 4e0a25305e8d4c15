package io.aigw.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import java.util.Objects;

/**
 * An object as it was at some seq, to be written back: its key and apiVersion, the object as the
 * log recorded it (with the metadata the source added, such as {@code uid} and {@code
 * resourceVersion}: a target strips what its source must not be given), and the seq of the entry
 * that recorded that version.
 */
public record RestoredObject(ObjectKey key, String apiVersion, JsonNode object, long versionSeq) {

  public RestoredObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(object, "object");
  }
}
