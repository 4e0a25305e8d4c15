package io.aigw.watchers.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.watchers.dedupe.ContentHash;
import io.aigw.watchers.secret.SecretValues;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plays the API server for a directory: compares what the files declare with what was recorded and
 * turns the difference into events, keeping {@code generation} (bumped when anything outside {@code
 * metadata} changes) and {@code resourceVersion} (one counter for the whole source, bumped on every
 * event) the way a server would. Confined to the scanning thread.
 *
 * <p>With a clock, it also keeps {@code metadata.creationTimestamp} the way a server does: stamped
 * when a key is first recorded (again after a delete) and carried unchanged through every later
 * version, so consumers see when the object first appeared rather than the epoch. The timestamp
 * never counts as content. Objects recorded without one (older logs, or no clock) keep having none
 * until their content changes, since the time they first appeared is no longer known and stamping
 * them on a restart would append events for files nobody touched.
 */
final class ObjectRecorder {

  private record Recorded(
      WatchEvent event, ObjectNode object, String contentHash, String specHash) {}

  private static final String CREATION_TIMESTAMP = "creationTimestamp";

  private final String source;
  private final SecretValues secretValues;
  private final Optional<Clock> clock;
  private final Map<ObjectKey, Recorded> recorded = new HashMap<>();
  private Set<ObjectKey> lastDeclared = Set.of();
  private long resourceVersion;

  ObjectRecorder(
      String source,
      Map<ObjectKey, WatchEvent> previous,
      long resourceVersionFloor,
      SecretValues secretValues,
      Optional<Clock> clock) {
    this.source = source;
    this.secretValues = secretValues;
    this.clock = clock;
    this.resourceVersion = resourceVersionFloor;
    previous.forEach(
        (key, event) -> {
          resourceVersion = Math.max(resourceVersion, numeric(event.resourceVersion()));
          if (event.type() == EventType.UPSERT) {
            ObjectNode object = (ObjectNode) CanonicalJson.read(event.objectJson());
            recorded.put(key, new Recorded(event, object, contentHash(object), specHash(object)));
          }
        });
  }

  /** How many objects are recorded as existing. */
  int size() {
    return recorded.size();
  }

  /**
   * The events that bring the record in line with {@code declared} (the winning declaration of each
   * key, in file order). A recorded object nobody declares is deleted when its file is known to
   * have dropped it; while some file has never parsed ({@code everyFileKnown} false), objects
   * recorded before this run that no file claims are kept, since that file may be theirs.
   */
  List<WatchEvent> reconcile(Iterable<Manifest> declared, boolean everyFileKnown) {
    List<WatchEvent> events = new ArrayList<>();
    Set<ObjectKey> declaredKeys = new TreeSet<>();
    for (Manifest manifest : declared) {
      declaredKeys.add(manifest.key());
      upsert(manifest).ifPresent(events::add);
    }
    Set<ObjectKey> gone = new TreeSet<>(recorded.keySet());
    gone.removeAll(declaredKeys);
    for (ObjectKey key : gone) {
      if (everyFileKnown || lastDeclared.contains(key)) {
        events.add(delete(key));
      }
    }
    lastDeclared = Set.copyOf(declaredKeys);
    return events;
  }

  private Optional<WatchEvent> upsert(Manifest manifest) {
    ObjectKey key = manifest.key();
    if (manifest.isSecret()) {
      // also on a restart, when the recorded digest already matches and no event is due
      secretValues.put(key.namespace(), key.name(), manifest.secretValues());
    }
    Recorded previous = recorded.get(key);
    String contentHash = contentHash(manifest.object());
    if (previous != null && previous.contentHash().equals(contentHash)) {
      return Optional.empty();
    }
    String specHash = specHash(manifest.object());
    long generation = 1;
    if (previous != null) {
      long before = previous.event().generation();
      generation = previous.specHash().equals(specHash) ? before : before + 1;
    }
    String version = Long.toString(++resourceVersion);
    ObjectNode object = manifest.object().deepCopy();
    ObjectNode metadata = object.withObjectProperty("metadata");
    metadata.put("generation", generation);
    metadata.put("resourceVersion", version);
    creationTimestamp(previous).ifPresent(time -> metadata.put(CREATION_TIMESTAMP, time));
    String uid = metadata.path("uid").asText("");
    WatchEvent event = event(manifest.apiVersion(), key, uid, generation, EventType.UPSERT, object);
    recorded.put(key, new Recorded(event, object, contentHash, specHash));
    return Optional.of(event);
  }

  /** The previous version's timestamp; else, for a new key, the clock's now in whole seconds. */
  private Optional<String> creationTimestamp(Recorded previous) {
    if (previous != null) {
      JsonNode time = previous.object().path("metadata").path(CREATION_TIMESTAMP);
      if (time.isTextual()) {
        return Optional.of(time.asText());
      }
    }
    return clock.map(c -> Instant.now(c).truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private WatchEvent delete(ObjectKey key) {
    Recorded last = recorded.remove(key);
    if ("".equals(key.group()) && "Secret".equals(key.kind())) {
      secretValues.remove(key.namespace(), key.name());
    }
    ObjectNode object = last.object().deepCopy();
    object.withObjectProperty("metadata").put("resourceVersion", Long.toString(++resourceVersion));
    WatchEvent was = last.event();
    return event(was.apiVersion(), key, was.uid(), was.generation(), EventType.DELETE, object);
  }

  private WatchEvent event(
      String apiVersion,
      ObjectKey key,
      String uid,
      long generation,
      EventType type,
      ObjectNode object) {
    return new WatchEvent(
        source,
        apiVersion,
        key.kind(),
        key.namespace(),
        key.name(),
        uid,
        object.path("metadata").path("resourceVersion").asText(),
        generation,
        type,
        CanonicalJson.write(object));
  }

  /** The content hash without the creation timestamp, which the recorder itself adds. */
  private static String contentHash(JsonNode object) {
    if (object.path("metadata").has(CREATION_TIMESTAMP)) {
      ObjectNode copy = object.deepCopy();
      ((ObjectNode) copy.get("metadata")).remove(CREATION_TIMESTAMP);
      return ContentHash.of(copy);
    }
    return ContentHash.of(object);
  }

  private static String specHash(JsonNode object) {
    ObjectNode withoutMetadata = object.deepCopy();
    withoutMetadata.remove("metadata");
    return ContentHash.of(withoutMetadata);
  }

  private static long numeric(String resourceVersion) {
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
