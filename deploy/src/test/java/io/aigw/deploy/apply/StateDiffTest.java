package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The merge walk that finds what changed between two states reports exactly what a lookup would.
 */
class StateDiffTest {

  static ObjectKey key(int i) {
    return new ObjectKey("", "ConfigMap", "ns", "c-" + i);
  }

  @Property(tries = 200)
  void reportsTheAddedReplacedAndRemovedKeysAndNothingElse(
      @ForAll @Size(max = 40) List<@IntRange(max = 60) Integer> before,
      @ForAll @Size(max = 40) List<@IntRange(max = 60) Integer> puts,
      @ForAll @Size(max = 20) List<@IntRange(max = 60) Integer> removals) {
    PSortedMap<ObjectKey, Object> old = TreePMap.empty();
    for (int i : before) {
      old = old.plus(key(i), new Object());
    }
    PSortedMap<ObjectKey, Object> now = old;
    for (int i : puts) {
      now = now.plus(key(i), new Object());
    }
    for (int i : removals) {
      now = now.minus(key(i));
    }
    Set<ObjectKey> expectedChanged = new TreeSet<>();
    for (Map.Entry<ObjectKey, Object> entry : now.entrySet()) {
      if (old.get(entry.getKey()) != entry.getValue()) {
        expectedChanged.add(entry.getKey());
      }
    }
    Set<ObjectKey> expectedRemoved = new TreeSet<>(old.keySet());
    expectedRemoved.removeAll(now.keySet());

    List<ObjectKey> changed = new ArrayList<>();
    List<ObjectKey> removed = new ArrayList<>();
    KubernetesApplier.diff(old, now, changed::add, removed::add);

    assertThat(changed).containsExactlyElementsOf(expectedChanged);
    assertThat(removed).containsExactlyElementsOf(expectedRemoved);
  }
}
