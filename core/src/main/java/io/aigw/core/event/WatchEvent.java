package io.aigw.core.event;

import java.util.Objects;

/**
 * One observed change of one object. {@code objectJson} is the whole object as compact JSON with
 * keys in a canonical (sorted) order; for a DELETE it is the last version that was seen. A Secret
 * never carries values here: its {@code data} holds {@code sha256:<hex>} digests per key.
 */
public record WatchEvent(
    String source,
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String uid,
    String resourceVersion,
    long generation,
    EventType type,
    String objectJson)
    implements LogEvent {

  public WatchEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(resourceVersion, "resourceVersion");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(objectJson, "objectJson");
  }

  public ObjectKey key() {
    return ObjectKey.of(apiVersion, kind, namespace, name);
  }
}
