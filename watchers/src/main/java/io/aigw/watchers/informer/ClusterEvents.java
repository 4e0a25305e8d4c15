package io.aigw.watchers.informer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.WatchEvent;
import io.aigw.watchers.secret.SecretDigester;

/**
 * Turns an object read from the API server into the {@link WatchEvent} the log records. What is
 * recorded differs from what the server sent in three ways, each to keep the log a record of
 * inputs:
 *
 * <ul>
 *   <li>{@code metadata.managedFields} is dropped: server bookkeeping, large, and never read;
 *   <li>the {@code status} of the AI Gateway kinds is dropped: aigw writes it, and recording it
 *       would echo every status write back into the log as a change;
 *   <li>a Secret's values become SHA-256 digests ({@link SecretDigester}): a rotation is visible, a
 *       value never is.
 * </ul>
 *
 * List items may lack {@code apiVersion} and {@code kind}; both are set from the watched kind.
 */
public final class ClusterEvents {

  private ClusterEvents() {}

  /** The event for {@code objectJson} (as the API server sent it) observed as {@code type}. */
  public static WatchEvent of(String source, WatchedKind kind, String objectJson, EventType type) {
    ObjectNode object = recordedForm(kind, CanonicalJson.read(objectJson));
    JsonNode metadata = object.path("metadata");
    return new WatchEvent(
        source,
        kind.apiVersion(),
        kind.kind(),
        metadata.path("namespace").asText(""),
        metadata.path("name").asText(""),
        metadata.path("uid").asText(""),
        metadata.path("resourceVersion").asText(""),
        metadata.path("generation").asLong(0),
        type,
        CanonicalJson.write(object));
  }

  /** The same object observed as deleted (its last version, as the log last saw it). */
  public static WatchEvent deleted(WatchEvent last) {
    return new WatchEvent(
        last.source(),
        last.apiVersion(),
        last.kind(),
        last.namespace(),
        last.name(),
        last.uid(),
        last.resourceVersion(),
        last.generation(),
        EventType.DELETE,
        last.objectJson());
  }

  static ObjectNode recordedForm(WatchedKind kind, JsonNode received) {
    if (!(received instanceof ObjectNode original)) {
      throw new IllegalArgumentException(kind + ": the server sent a non-object");
    }
    ObjectNode object = original.deepCopy();
    object.put("apiVersion", kind.apiVersion());
    object.put("kind", kind.kind());
    if (object.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("managedFields");
    }
    if (kind.isAiGateway()) {
      object.remove("status");
    }
    if (WatchedKind.SECRET.equals(kind)) {
      return SecretDigester.digest(object).recorded();
    }
    return object;
  }
}
