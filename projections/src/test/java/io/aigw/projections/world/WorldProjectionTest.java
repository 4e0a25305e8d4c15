package io.aigw.projections.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorldProjectionTest {

  private static LogEntry entry(long seq, String name, EventType type, String json) {
    WatchEvent event =
        new WatchEvent("test", "v1", "ConfigMap", "default", name, "u", "1", 1, type, json);
    return new LogEntry(seq, Instant.EPOCH, event);
  }

  private static final List<LogEntry> LOG =
      List.of(
          entry(1, "a", EventType.UPSERT, "{\"data\":{\"k\":\"v\"}}"),
          entry(2, "b", EventType.UPSERT, "{}"),
          entry(3, "a", EventType.UPSERT, "{\"data\":{\"k\":\"w\"}}"),
          entry(4, "b", EventType.DELETE, "{}"));

  private static WorldState fold(WorldProjection world, List<LogEntry> entries) {
    WorldState state = world.initial();
    for (LogEntry entry : entries) {
      state = world.apply(state, entry);
    }
    return state;
  }

  @Test
  void preparingAheadChangesNoResult() {
    WorldProjection prepared = new WorldProjection();
    LOG.forEach(prepared::prepare);
    WorldState expected = fold(new WorldProjection(), LOG);
    WorldState actual = fold(prepared, LOG);
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.objects().keySet())
        .containsExactly(new ObjectKey("", "ConfigMap", "default", "a"));
    assertThat(actual.get(new ObjectKey("", "ConfigMap", "default", "a")).orElseThrow().seq())
        .isEqualTo(3);
  }

  @Test
  void anObjectThatIsNotJsonFailsWhetherOrNotItWasPrepared() {
    LogEntry broken = entry(1, "a", EventType.UPSERT, "{not json");
    WorldProjection world = new WorldProjection();
    assertThatThrownBy(() -> world.prepare(broken)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> world.apply(world.initial(), broken))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPreparedCheckCountsOnlyForTheVeryEventThatWasChecked() {
    WorldProjection world = new WorldProjection();
    world.prepare(entry(1, "a", EventType.UPSERT, "{}"));
    LogEntry other = entry(1, "a", EventType.UPSERT, "{broken");
    assertThatThrownBy(() -> world.apply(world.initial(), other))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
