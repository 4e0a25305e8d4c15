package io.aigw.projections.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

  private static final SnapshotPolicy EVERY_TEN = new SnapshotPolicy(10, 100, 1);

  @Test
  void keepsOnlyTheStatesThePolicyMarksAsDue() {
    Snapshots<String> snapshots = Snapshots.empty(EVERY_TEN);
    for (long seq = 1; seq <= 35; seq++) {
      snapshots = snapshots.offer(seq, "s" + seq);
    }
    assertThat(snapshots.all()).extracting(Snapshot::seq).containsExactly(10L, 20L, 30L);
    assertThat(snapshots.all()).extracting(Snapshot::state).containsExactly("s10", "s20", "s30");
  }

  @Test
  void nearestIsTheSnapshotAtOrBelowTheSeq() {
    Snapshots<String> snapshots = Snapshots.<String>empty(EVERY_TEN).offer(10, "a").offer(20, "b");
    assertThat(snapshots.nearest(9)).isEmpty();
    assertThat(snapshots.nearest(10)).map(Snapshot::state).contains("a");
    assertThat(snapshots.nearest(19)).map(Snapshot::state).contains("a");
    assertThat(snapshots.nearest(20)).map(Snapshot::state).contains("b");
    assertThat(snapshots.nearest(1_000)).map(Snapshot::state).contains("b");
  }

  @Test
  void offeringReturnsANewValueAndLeavesTheOldOneAsItWas() {
    Snapshots<String> before = Snapshots.empty(EVERY_TEN);
    Snapshots<String> after = before.offer(10, "a");
    assertThat(before.size()).isZero();
    assertThat(after.size()).isEqualTo(1);
    assertThat(after.offer(11, "not due")).isSameAs(after);
  }

  @Test
  void ignoresASnapshotOfAnotherSchemaVersion() {
    Snapshots<String> snapshots = Snapshots.empty(EVERY_TEN);
    assertThat(snapshots.with(new Snapshot<>(10, 2, "old shape")).size()).isZero();
    assertThat(snapshots.with(new Snapshot<>(7, 1, "loaded")).nearest(8))
        .map(Snapshot::state)
        .contains("loaded");
  }

  @Test
  void doublesTheStrideWhenMoreThanTheMaximumWouldBeKept() {
    Snapshots<Long> snapshots = Snapshots.empty(new SnapshotPolicy(1, 4, 1));
    for (long seq = 1; seq <= 5; seq++) {
      snapshots = snapshots.offer(seq, seq);
    }
    assertThat(snapshots.all()).extracting(Snapshot::seq).containsExactly(2L, 4L);
    assertThat(snapshots.stride()).isEqualTo(2);
    for (long seq = 6; seq <= 10; seq++) {
      snapshots = snapshots.offer(seq, seq);
    }
    assertThat(snapshots.all()).extracting(Snapshot::seq).containsExactly(4L, 8L);
    assertThat(snapshots.stride()).isEqualTo(4);
  }

  @Test
  void thinningHalvesTheSnapshotsAndDoublesTheStride() {
    Snapshots<Long> snapshots = Snapshots.empty(new SnapshotPolicy(1, 100, 1));
    for (long seq = 1; seq <= 9; seq++) {
      snapshots = snapshots.offer(seq, seq);
    }
    Snapshots<Long> thinned = snapshots.thinned();
    assertThat(thinned.all()).extracting(Snapshot::seq).containsExactly(2L, 4L, 6L, 8L);
    assertThat(thinned.stride()).isEqualTo(2);
    assertThat(thinned.offer(11, 11L)).isSameAs(thinned);
    assertThat(thinned.offer(12, 12L).nearest(13)).contains(new Snapshot<>(12, 1, 12L));
    assertThat(snapshots.size()).isEqualTo(9);
  }

  @Test
  void aSingleRetainedSnapshotMovesForwardAsTheLogGrows() {
    Snapshots<Long> snapshots = Snapshots.empty(new SnapshotPolicy(1, 1, 1));
    for (long seq = 1; seq <= 9; seq++) {
      snapshots = snapshots.offer(seq, seq);
    }
    assertThat(snapshots.all()).extracting(Snapshot::seq).containsExactly(8L);
  }

  @Test
  void softlyHeldSnapshotsReadLikeStrongOnesWhileMemoryLasts() {
    Snapshots<String> snapshots = Snapshots.empty(EVERY_TEN.withSoft(true));
    for (long seq = 1; seq <= 35; seq++) {
      snapshots = snapshots.offer(seq, "s" + seq);
    }
    assertThat(snapshots.all()).extracting(Snapshot::seq).containsExactly(10L, 20L, 30L);
    assertThat(snapshots.nearest(29)).contains(new Snapshot<>(20, 1, "s20"));
    assertThat(snapshots.size()).isEqualTo(3);
    assertThat(snapshots.toString()).contains("[10, 20, 30]");
  }

  @Test
  void rejectsPoliciesThatCannotWork() {
    assertThatThrownBy(() -> new SnapshotPolicy(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SnapshotPolicy(1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Snapshot<>(-1, 1, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void policyWithersChangeOneField() {
    SnapshotPolicy policy = SnapshotPolicy.DEFAULT.withInterval(5).withMaxRetained(3);
    assertThat(policy).isEqualTo(new SnapshotPolicy(5, 3, 1, true));
    assertThat(policy.withSoft(false)).isEqualTo(new SnapshotPolicy(5, 3, 1));
    assertThat(policy.withSchemaVersion(2).schemaVersion()).isEqualTo(2);
    assertThat(policy.isDue(0)).isFalse();
    assertThat(policy.isDue(10)).isTrue();
  }

  @Property
  void retainedSnapshotsStayWithinTheBoundAndSpanTheLog(
      @ForAll @LongRange(min = 1, max = 50) long interval,
      @ForAll @IntRange(min = 2, max = 40) int maxRetained,
      @ForAll @LongRange(min = 1, max = 20_000) long latestSeq) {
    Snapshots<Long> snapshots = Snapshots.empty(new SnapshotPolicy(interval, maxRetained, 1));
    List<Long> due = new ArrayList<>();
    for (long seq = 1; seq <= latestSeq; seq++) {
      snapshots = snapshots.offer(seq, seq);
      if (seq % interval == 0) {
        due.add(seq);
      }
    }
    List<Long> kept = snapshots.all().stream().map(Snapshot::seq).toList();
    long stride = snapshots.stride();
    assertThat(kept).hasSizeLessThanOrEqualTo(maxRetained).isSubsetOf(due);
    assertThat(stride).isLessThanOrEqualTo(Math.max(interval, 2 * latestSeq / (maxRetained + 1)));
    if (latestSeq >= stride) {
      assertThat(kept).isNotEmpty();
      assertThat(kept.get(0)).isLessThanOrEqualTo(stride);
      assertThat(latestSeq - kept.get(kept.size() - 1)).isLessThan(stride);
      for (int i = 1; i < kept.size(); i++) {
        assertThat(kept.get(i) - kept.get(i - 1)).isEqualTo(stride);
      }
    }
  }
}
