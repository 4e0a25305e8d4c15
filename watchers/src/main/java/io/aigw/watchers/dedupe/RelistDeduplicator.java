package io.aigw.watchers.dedupe;

import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Drops the events a relist or resync repeats: an event is a duplicate when its key, type, uid,
 * generation and {@link ContentHash} equal those of the last event admitted for that key. Anything
 * else (a new uid after a delete and re-create, a changed field, a DELETE after an UPSERT, a spec
 * changed and changed back while unobserved, which only its generation tells) is admitted and
 * becomes the new reference for its key, so a status can name the generation it observed.
 * Thread-safe.
 */
public final class RelistDeduplicator {

  private record Fingerprint(EventType type, String uid, long generation, String contentHash) {}

  private final Map<ObjectKey, Fingerprint> last = new HashMap<>();

  /** Starts with nothing recorded. */
  public RelistDeduplicator() {}

  /** Starts from the events already in the log, e.g. the current objects after a restart. */
  public RelistDeduplicator(Map<ObjectKey, WatchEvent> recorded) {
    recorded.forEach((key, event) -> last.put(key, fingerprint(event)));
  }

  /** True when {@code event} should be recorded; it then becomes the reference for its key. */
  public synchronized boolean admit(WatchEvent event) {
    Fingerprint fingerprint = fingerprint(event);
    Fingerprint previous = last.put(event.key(), fingerprint);
    return !fingerprint.equals(previous);
  }

  /** How many keys have a reference event. */
  public synchronized int size() {
    return last.size();
  }

  private static Fingerprint fingerprint(WatchEvent event) {
    return new Fingerprint(
        event.type(), event.uid(), event.generation(), ContentHash.ofJson(event.objectJson()));
  }
}
