package io.aigw.projections.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.properties.LogEvents;
import io.aigw.projections.snapshot.TolerantFold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The gateway state derives its outputs when they are first read: whenever that happens, and in
 * whatever order states are read, the outputs are those of a fold that derived them after every
 * entry, and an output that did not change between two states is the same instance in both.
 */
class GatewayStateTest {

  @Provide
  Arbitrary<List<LogEntry>> longLogs() {
    // longer than the chain of unread states a read walks back, so reads fall back to the base
    return LogEvents.event().list().ofMinSize(70).ofMaxSize(160).map(LogEvents::numbered);
  }

  @Provide
  Arbitrary<List<LogEntry>> logs() {
    return LogEvents.entries();
  }

  @Property(tries = 60)
  void outputsReadOnlyAtTheEndEqualOutputsReadAfterEveryEntry(
      @ForAll("longLogs") List<LogEntry> entries) {
    List<GatewayState> eager = fold(entries, 1);
    GatewayState late = fold(entries, Integer.MAX_VALUE).get(entries.size());
    GatewayState sometimes = fold(entries, 17).get(entries.size());
    GatewayState expected = eager.get(entries.size());
    assertThat(late).isEqualTo(expected);
    assertThat(late.desiredYaml()).isEqualTo(expected.desiredYaml());
    assertThat(sometimes).isEqualTo(expected);
    assertThat(sometimes.desiredByRoute()).isEqualTo(expected.desiredByRoute());
  }

  @Property(tries = 100)
  void statesReadNewestFirstShareUnchangedOutputsAsAnEagerFoldDoes(
      @ForAll("logs") List<LogEntry> entries) {
    List<GatewayState> eager = fold(entries, 1);
    List<GatewayState> lazy = fold(entries, Integer.MAX_VALUE);
    for (int i = lazy.size() - 1; i >= 0; i--) {
      lazy.get(i).desired();
    }
    for (int i = 1; i < eager.size(); i++) {
      GatewayState before = lazy.get(i - 1);
      GatewayState after = lazy.get(i);
      assertThat(after).isEqualTo(eager.get(i));
      assertThat(replaced(before.desired(), after.desired()))
          .isEqualTo(replaced(eager.get(i - 1).desired(), eager.get(i).desired()));
      assertThat(replaced(before.statuses(), after.statuses()))
          .isEqualTo(replaced(eager.get(i - 1).statuses(), eager.get(i).statuses()));
      assertThat(replaced(before.filterConfigs(), after.filterConfigs()))
          .isEqualTo(replaced(eager.get(i - 1).filterConfigs(), eager.get(i).filterConfigs()));
    }
  }

  @Property(tries = 100)
  void outsideWhatMayHaveChangedTwoRelatedStatesHaveTheSameOutputInstances(
      @ForAll("logs") List<LogEntry> entries) {
    int every = 5;
    List<GatewayState> states = fold(entries, every);
    for (int i = 0; i < states.size(); i++) {
      for (int j = i; j < states.size(); j++) {
        GatewayState before = states.get(i);
        GatewayState after = states.get(j);
        Optional<ChangedObjects> changed = after.changedFrom(before);
        if (i % every == 0 && j <= i + every) {
          // folded from a state whose outputs were known: always related
          assertThat(changed).isPresent();
        }
        changed.ifPresent(objects -> assertUnchangedOutside(objects, before, after));
        // what a diff of unrelated states compares: found from the per-route index alone
        assertSameResourcesOutside(after.routesWithOtherResources(before), before, after);
      }
    }
  }

  private static void assertUnchangedOutside(
      ChangedObjects changed, GatewayState before, GatewayState after) {
    Set<ObjectKey> routes = new TreeSet<>(before.filterConfigs().keySet());
    routes.addAll(after.filterConfigs().keySet());
    routes.removeAll(changed.routes());
    for (ObjectKey route : routes) {
      assertThat(after.filterConfigs().get(route)).isSameAs(before.filterConfigs().get(route));
    }
    Set<ObjectKey> statuses = new TreeSet<>(before.statuses().keySet());
    statuses.addAll(after.statuses().keySet());
    statuses.removeAll(changed.statuses());
    for (ObjectKey key : statuses) {
      assertThat(after.statuses().get(key)).isSameAs(before.statuses().get(key));
    }
    assertSameResourcesOutside(changed.routes(), before, after);
  }

  /** Outside the {@code changed} routes, both states have the very same desired resources. */
  private static void assertSameResourcesOutside(
      Set<ObjectKey> changed, GatewayState before, GatewayState after) {
    Set<ObjectKey> routes = new TreeSet<>(before.desiredByRoute().keySet());
    routes.addAll(after.desiredByRoute().keySet());
    routes.removeAll(changed);
    for (ObjectKey route : routes) {
      assertThat(after.desiredByRoute().get(route)).isSameAs(before.desiredByRoute().get(route));
    }
    Set<ObjectKey> desired = new TreeSet<>(before.desired().keySet());
    desired.addAll(after.desired().keySet());
    for (ObjectKey route : changed) {
      before.desiredByRoute().getOrDefault(route, List.of()).forEach(r -> desired.remove(r.key()));
      after.desiredByRoute().getOrDefault(route, List.of()).forEach(r -> desired.remove(r.key()));
    }
    for (ObjectKey key : desired) {
      assertThat(after.desired().get(key)).isSameAs(before.desired().get(key));
    }
  }

  /**
   * Every state of a fold, from the initial one; outputs read after every {@code every} entries.
   */
  private static List<GatewayState> fold(List<LogEntry> entries, int every) {
    return fold(new GatewayProjection(), entries, every);
  }

  private static List<GatewayState> fold(
      GatewayProjection projection, List<LogEntry> entries, int every) {
    TolerantFold<GatewayState> fold = new TolerantFold<>(projection);
    List<GatewayState> states = new ArrayList<>();
    GatewayState state = fold.initial();
    states.add(state);
    for (LogEntry entry : entries) {
      state = fold.apply(state, entry);
      if (states.size() % every == 0) {
        state.desired();
      }
      states.add(state);
    }
    return states;
  }

  /** The keys whose value is not the same instance in both maps. */
  private static <V> Set<ObjectKey> replaced(Map<ObjectKey, V> before, Map<ObjectKey, V> after) {
    Set<ObjectKey> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(key -> before.get(key) == after.get(key));
    return keys;
  }
}
