package io.aigw.watchers.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.EventType;
import io.aigw.core.event.WatchEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelistDeduplicatorTest {

  static WatchEvent event(EventType type, String uid, String resourceVersion, String spec) {
    return event(type, uid, resourceVersion, 0, spec);
  }

  static WatchEvent event(
      EventType type, String uid, String resourceVersion, long generation, String spec) {
    String json =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"default\","
            + "\"uid\":\""
            + uid
            + "\",\"resourceVersion\":\""
            + resourceVersion
            + "\"},\"data\":"
            + spec
            + "}";
    return new WatchEvent(
        "k8s:test",
        "v1",
        "ConfigMap",
        "default",
        "c",
        uid,
        resourceVersion,
        generation,
        type,
        json);
  }

  final RelistDeduplicator dedupe = new RelistDeduplicator();

  @Test
  void aRepeatedEventIsDropped() {
    assertThat(dedupe.admit(event(EventType.UPSERT, "u1", "5", "{\"a\":\"1\"}"))).isTrue();
    assertThat(dedupe.admit(event(EventType.UPSERT, "u1", "5", "{\"a\":\"1\"}"))).isFalse();
  }

  @Test
  void aRelistWithAnotherResourceVersionButTheSameContentIsDropped() {
    dedupe.admit(event(EventType.UPSERT, "u1", "5", "{\"a\":\"1\",\"b\":\"2\"}"));

    assertThat(dedupe.admit(event(EventType.UPSERT, "u1", "9", "{\"b\":\"2\",\"a\":\"1\"}")))
        .isFalse();
  }

  @Test
  void aChangedContentANewUidOrADeleteIsAdmitted() {
    dedupe.admit(event(EventType.UPSERT, "u1", "5", "{\"a\":\"1\"}"));

    assertThat(dedupe.admit(event(EventType.UPSERT, "u1", "6", "{\"a\":\"2\"}"))).isTrue();
    assertThat(dedupe.admit(event(EventType.UPSERT, "u2", "7", "{\"a\":\"2\"}"))).isTrue();
    assertThat(dedupe.admit(event(EventType.DELETE, "u2", "8", "{\"a\":\"2\"}"))).isTrue();
    assertThat(dedupe.admit(event(EventType.DELETE, "u2", "8", "{\"a\":\"2\"}"))).isFalse();
    assertThat(dedupe.admit(event(EventType.UPSERT, "u2", "9", "{\"a\":\"2\"}"))).isTrue();
    assertThat(dedupe.size()).isEqualTo(1);
  }

  @Test
  void aSpecChangedAndChangedBackUnobservedIsAdmittedForItsNewGeneration() {
    // generation 1, then 2 and back to 1's content as generation 3 while aigw was down: the status
    // must come to name generation 3
    WatchEvent recorded = event(EventType.UPSERT, "u1", "5", 1, "{\"a\":\"1\"}");
    RelistDeduplicator resumed = new RelistDeduplicator(Map.of(recorded.key(), recorded));

    assertThat(resumed.admit(event(EventType.UPSERT, "u1", "9", 3, "{\"a\":\"1\"}"))).isTrue();
    assertThat(resumed.admit(event(EventType.UPSERT, "u1", "10", 3, "{\"a\":\"1\"}")))
        .as("a relist repeats the generation")
        .isFalse();
  }

  @Test
  void startsFromWhatTheLogAlreadyHolds() {
    WatchEvent recorded = event(EventType.UPSERT, "u1", "5", "{\"a\":\"1\"}");
    RelistDeduplicator resumed = new RelistDeduplicator(Map.of(recorded.key(), recorded));

    assertThat(resumed.admit(event(EventType.UPSERT, "u1", "5", "{\"a\":\"1\"}"))).isFalse();
    assertThat(resumed.admit(event(EventType.UPSERT, "u1", "6", "{\"a\":\"3\"}"))).isTrue();
  }
}
