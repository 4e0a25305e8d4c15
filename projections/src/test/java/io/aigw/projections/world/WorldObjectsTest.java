package io.aigw.projections.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

class WorldObjectsTest {

  private record Step(ObjectKey key, boolean delete, long seq) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<ObjectKey> keys =
        Combinators.combine(
                Arbitraries.of("", "apps", "aigateway.envoyproxy.io"),
                Arbitraries.of("Secret", "AIGatewayRoute", "ConfigMap"),
                Arbitraries.of("", "default", "ns-1", "ns-10"),
                Arbitraries.strings().withChars("ab-1").ofMinLength(1).ofMaxLength(3))
            // fresh string instances, as decoding an entry gives them
            .as((g, k, ns, n) -> new ObjectKey(new String(g), new String(k), new String(ns), n));
    return Combinators.combine(keys, Arbitraries.integers().between(0, 3))
        .as((key, op) -> new Step(key, op == 0, 0))
        .list()
        .ofMaxSize(120);
  }

  private static WorldObject object(ObjectKey key, long seq) {
    WatchEvent event =
        new WatchEvent(
            "test",
            key.group().isEmpty() ? "v1" : key.group() + "/v1",
            key.kind(),
            key.namespace(),
            key.name(),
            "uid",
            "1",
            1,
            EventType.UPSERT,
            "{}");
    return new WorldObject(key, event, seq);
  }

  @Property
  void behavesAsASortedMapInKeyOrder(@ForAll("steps") List<Step> steps) {
    PSortedMap<ObjectKey, WorldObject> expected = TreePMap.empty(KeyOrder.INSTANCE);
    WorldObjects actual = WorldObjects.empty();
    long seq = 0;
    for (Step step : steps) {
      seq++;
      if (step.delete()) {
        expected = expected.minus(step.key());
        actual = actual.minus(step.key());
      } else {
        expected = expected.plus(step.key(), object(step.key(), seq));
        actual = actual.plus(step.key(), object(step.key(), seq));
      }
      assertThat(actual.size()).isEqualTo(expected.size());
    }
    assertThat(new ArrayList<>(actual.entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
    assertThat(actual).isEqualTo(expected);
    assertThat(expected).isEqualTo(actual);
    assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
    for (Step step : steps) {
      ObjectKey key = step.key();
      assertThat(actual.get(key)).isEqualTo(expected.get(key));
      assertThat(actual.floorKey(key)).isEqualTo(expected.floorKey(key));
      assertThat(actual.higherEntry(key)).isEqualTo(expected.higherEntry(key));
      assertThat(actual.headMap(key)).isEqualTo(expected.headMap(key));
      assertThat(actual.tailMap(key, false)).isEqualTo(expected.tailMap(key, false));
      ObjectKey scopeEnd = new ObjectKey(key.group(), key.kind(), key.namespace() + '\0', "");
      ObjectKey scopeStart = new ObjectKey(key.group(), key.kind(), key.namespace(), "");
      assertThat(new ArrayList<>(actual.subMap(scopeStart, scopeEnd).entrySet()))
          .isEqualTo(new ArrayList<>(expected.subMap(scopeStart, scopeEnd).entrySet()));
    }
  }

  @Property
  void theFoldsUpdateKeepsKeysWithSharedScopeStrings(@ForAll("steps") List<Step> steps) {
    WorldObjects world = WorldObjects.empty();
    long seq = 0;
    for (Step step : steps) {
      seq++;
      ObjectKey key = step.key();
      WatchEvent event =
          new WatchEvent(
              "test",
              key.group().isEmpty() ? "v1" : key.group() + "/v1",
              key.kind(),
              key.namespace(),
              key.name(),
              "uid",
              "1",
              1,
              step.delete() ? EventType.DELETE : EventType.UPSERT,
              "{}");
      WorldObject before = world.get(key);
      world = world.changed(key, event, seq);
      WorldObject after = world.get(key);
      assertThat(after == null).isEqualTo(step.delete());
      if (after != null) {
        assertThat(after.event()).isEqualTo(event);
        assertThat(after.event().kind()).isSameAs(after.key().kind());
        assertThat(after.event().namespace()).isSameAs(after.key().namespace());
        assertThat(after.key()).isEqualTo(key);
        if (before != null) {
          assertThat(after.key().namespace()).isSameAs(before.key().namespace());
        }
      }
    }
    List<ObjectKey> keys = new ArrayList<>();
    world.forEach((key, object) -> keys.add(key));
    for (int i = 1; i < keys.size(); i++) {
      assertThat(KeyOrder.INSTANCE.compare(keys.get(i - 1), keys.get(i))).isNegative();
      ObjectKey a = keys.get(i - 1);
      ObjectKey b = keys.get(i);
      if (a.group().equals(b.group()) && a.kind().equals(b.kind())) {
        assertThat(a.kind()).isSameAs(b.kind());
      }
    }
    assertThat(world.entrySet()).allMatch(e -> e.getKey() == e.getValue().key());
    assertThat(world).isEqualTo(Map.copyOf(world));
  }
}
