package io.aigw.admin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.admin.history.StateCache;
import io.aigw.admin.view.DesiredComparison;
import io.aigw.admin.view.ResourceChange;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.aigw.projections.snapshot.TolerantFold;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A diff between related states (one folded from the other) looks only at what may have changed; it
 * must find exactly what comparing every resource finds.
 */
@ExtendWith(VertxExtension.class)
class DesiredComparisonTest {

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  @Test
  void aDiffOfRelatedStatesFindsWhatComparingEveryResourceFinds(Vertx vertx) {
    try (AdminTestbed bed =
        new AdminTestbed(vertx, SnapshotPolicy.DEFAULT.withInterval(10).withMaxRetained(100))) {
      bed.recordRouteHistory(60);
      bed.start();
      long latest = bed.log.latestSeq();
      int comparedInFull = 0;
      for (long from = 4; from + 1 < latest; from += 5) {
        for (long to : new long[] {from + 1, from + 4, from + 17, latest - 1}) {
          if (to <= from || to >= latest) {
            continue;
          }
          // a cache of its own per pair: a state cached earlier could come from anywhere
          StateCache<GatewayState> cache =
              new StateCache<>(vertx, bed.log, bed.host, new GatewayProjection(), 8);
          GatewayState before = await(cache.stateAt(from));
          GatewayState related = await(cache.stateAt(to));
          GatewayState unrelated = foldedApart(bed, to);
          if (to - from <= 17) {
            // within two snapshot intervals: a common ancestor is a few derivations back
            assertThat(related.changedFrom(before)).as("%d..%d", from, to).isPresent();
          }
          if (unrelated.changedFrom(before).isEmpty()) {
            comparedInFull++;
          }

          DesiredComparison quick = DesiredComparison.between(before, related);
          DesiredComparison full = DesiredComparison.between(before, unrelated);
          assertThat(quick.counts()).as("%d..%d", from, to).isEqualTo(full.counts());
          assertThat(keys(quick)).isEqualTo(keys(full));
          assertThat(keys(full)).isEqualTo(everyDifference(before, unrelated));
          assertThat(quick.statuses()).isEqualTo(full.statuses());
        }
      }
      // the other path was taken too: states with no common ancestor, compared route by route
      assertThat(comparedInFull).isPositive();
    }
  }

  @Test
  void aDiffOfStatesFarApartComparesTheRoutesTheyDoNotShareAndFindsWhatComparingAllFinds(
      Vertx vertx) {
    // a snapshot after every entry: states 150 entries apart are too many derivations apart to be
    // related, yet share every route that did not change between them
    try (AdminTestbed bed =
        new AdminTestbed(vertx, SnapshotPolicy.DEFAULT.withInterval(1).withMaxRetained(10_000))) {
      bed.upsert(AdminTestbed.secret("key", "c".repeat(64)));
      bed.upsert(AdminTestbed.backend("openai", "OpenAI"));
      bed.upsert(AdminTestbed.policy("policy", "openai", "key"));
      for (int i = 0; i < 40; i++) {
        bed.upsert(AdminTestbed.route("r" + i, "openai", "m" + i));
      }
      long from = bed.log.latestSeq();
      for (int i = 0; i < 150; i++) {
        bed.upsert(AdminTestbed.route("r" + (i % 3), "openai", "edit" + i));
      }
      bed.upsert(AdminTestbed.route("r7", "openai", "last"));
      bed.start();
      long to = bed.log.latestSeq() - 1;
      StateCache<GatewayState> cache =
          new StateCache<>(vertx, bed.log, bed.host, new GatewayProjection(), 8);
      GatewayState before = await(cache.stateAt(from));
      GatewayState after = await(cache.stateAt(to));

      assertThat(after.changedFrom(before)).isEmpty();
      assertThat(after.routesWithOtherResources(before).stream().map(ObjectKey::name).sorted())
          .containsExactly("r0", "r1", "r2");
      DesiredComparison comparison = DesiredComparison.between(before, after);
      assertThat(keys(comparison)).isNotEmpty().isEqualTo(everyDifference(before, after));
      assertThat(comparison.statuses())
          .isEqualTo(DesiredComparison.between(before, foldedApart(bed, to)).statuses());
    }
  }

  @Test
  void pagesOfADiffWalkEveryDifferenceOnceInKeyOrder(Vertx vertx) {
    try (AdminTestbed bed =
        new AdminTestbed(vertx, SnapshotPolicy.DEFAULT.withInterval(7).withMaxRetained(100))) {
      bed.upsert(AdminTestbed.secret("key", "c".repeat(64)));
      bed.upsert(AdminTestbed.backend("openai", "OpenAI"));
      bed.upsert(AdminTestbed.policy("policy", "openai", "key"));
      long from = bed.log.latestSeq();
      for (int i = 0; i < 12; i++) {
        bed.upsert(AdminTestbed.route("r" + i, "openai", "m" + i));
      }
      bed.start();
      DesiredComparison comparison =
          DesiredComparison.between(
              await(bed.host.stateAt(from)), await(bed.host.stateAt(bed.log.latestSeq())));

      List<String> paged = new ArrayList<>();
      Optional<ObjectKey> cursor = Optional.empty();
      while (true) {
        DesiredComparison.Page page = comparison.page(cursor, 5, false);
        List<ResourceChange> changes = page.changes();
        if (cursor.isPresent()) {
          assertThat(changes).as("the page a cursor leads to is not empty").isNotEmpty();
        }
        changes.forEach(change -> paged.add(change.change() + " " + key(change)));
        if (!page.more()) {
          break;
        }
        assertThat(changes).as("a page followed by more is full").hasSize(5);
        cursor = Optional.of(key(changes.get(changes.size() - 1)));
      }
      assertThat(comparison.counts().total()).isGreaterThan(20);
      assertThat(paged).isEqualTo(keys(comparison)).hasSize(comparison.counts().total());
      assertThat(comparison.page(Optional.empty(), 0, false).changes()).isEmpty();
      assertThat(comparison.page(Optional.empty(), 0, false).more()).isTrue();
      int total = comparison.counts().total();
      assertThat(comparison.page(Optional.empty(), total, false).more())
          .as("a page holding the last difference has nothing after it")
          .isFalse();
      assertThat(comparison.page(Optional.empty(), total - 1, false).more()).isTrue();
    }
  }

  private static ObjectKey key(ResourceChange change) {
    return new ObjectKey(change.group(), change.kind(), change.namespace(), change.name());
  }

  /**
   * The state at {@code seq} folded on its own, its outputs derived after every entry: whatever it
   * derives from, a few derivations back, is its own.
   */
  private static GatewayState foldedApart(AdminTestbed bed, long seq) {
    TolerantFold<GatewayState> fold = new TolerantFold<>(new GatewayProjection());
    GatewayState state = fold.initial();
    for (LogEntry entry : bed.log.read(1, (int) seq)) {
      state = fold.apply(state, entry);
      state.desired();
    }
    return state;
  }

  /** Every resource of both states compared, rendered objects and all. */
  private static List<String> everyDifference(GatewayState before, GatewayState after) {
    List<String> out = new ArrayList<>();
    Set<ObjectKey> keys = new TreeSet<>(before.desired().keySet());
    keys.addAll(after.desired().keySet());
    for (ObjectKey key : keys) {
      DesiredResource was = before.desired().get(key);
      DesiredResource is = after.desired().get(key);
      if (was == null) {
        out.add("added " + key);
      } else if (is == null) {
        out.add("removed " + key);
      } else if (!was.equals(is)) {
        out.add("changed " + key);
      }
    }
    return out;
  }

  private static List<String> keys(DesiredComparison comparison) {
    return comparison.differences().stream()
        .map(difference -> difference.change() + " " + difference.key())
        .toList();
  }
}
