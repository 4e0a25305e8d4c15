package io.aigw.admin.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LogIndexTest {

  private static LogEntry watch(long seq, String kind, String name, EventType type) {
    return new LogEntry(
        seq,
        Instant.EPOCH,
        new WatchEvent("dir:/t", "v1", kind, "default", name, "u", "1", 1, type, "{}"));
  }

  private static LogEntry error(long seq, String file) {
    return new LogEntry(seq, Instant.EPOCH, new SourceError("dir:/t", file, 1, "bad"));
  }

  private static LogIndex indexOf(List<LogEntry> entries) {
    LogIndex index = new LogIndex();
    index.addAll(entries);
    return index;
  }

  private static LogFilter kind(String kind) {
    return new LogFilter(Optional.of(kind), Optional.empty(), Optional.empty());
  }

  @Test
  void findsVersionsOfAnObjectAndTheirNeighbours() {
    LogIndex index =
        indexOf(
            List.of(
                watch(1, "ConfigMap", "a", EventType.UPSERT),
                watch(2, "ConfigMap", "b", EventType.UPSERT),
                error(3, "x.yaml"),
                watch(4, "ConfigMap", "a", EventType.UPSERT),
                watch(5, "ConfigMap", "a", EventType.DELETE)));
    ObjectKey a = new ObjectKey("", "ConfigMap", "default", "a");
    assertThat(index.versions(a)).containsExactly(1, 4, 5);
    assertThat(index.previousVersion(4)).hasValue(1);
    assertThat(index.previousVersion(1)).isEmpty();
    assertThat(index.nextVersion(4)).hasValue(5);
    assertThat(index.versionAt(a, 3)).hasValue(1);
    assertThat(index.versionAt(a, 0)).isEmpty();
    assertThat(index.typeAt(5)).hasValue(LogIndex.EntryType.DELETE);
    assertThat(index.typeAt(3)).hasValue(LogIndex.EntryType.ERROR);
    assertThat(index.keyAt(3)).hasValue(new ObjectKey("", "SourceError", "", "x.yaml"));
    assertThat(index.keyAt(6)).isEmpty();
    assertThat(index.recent(2)).map(LogEntry::seq).hasValue(2L);
  }

  @Test
  void refusesAGapAndIgnoresWhatItHas() {
    LogIndex index = indexOf(List.of(watch(1, "ConfigMap", "a", EventType.UPSERT)));
    index.add(watch(1, "ConfigMap", "a", EventType.UPSERT));
    assertThat(index.latestSeq()).isEqualTo(1);
    assertThatThrownBy(() -> index.add(watch(3, "ConfigMap", "a", EventType.UPSERT)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsOnlyTheLatestEntriesInMemory() {
    LogIndex index = new LogIndex();
    for (long seq = 1; seq <= LogIndex.RECENT + 10; seq++) {
      index.add(watch(seq, "ConfigMap", "a", EventType.UPSERT));
    }
    assertThat(index.recent(10)).isEmpty();
    assertThat(index.recent(11)).isPresent();
    assertThat(index.recent(LogIndex.RECENT + 10L)).isPresent();
  }

  /** Paging through the index in either direction lists exactly the matching seqs, in order. */
  @Property(tries = 200)
  void pagesListEveryMatchOnceInOrder(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll @IntRange(min = 1, max = 7) int limit,
      @ForAll boolean descending) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      entries.add(watch(i + 1, "K" + kinds.get(i), "n", EventType.UPSERT));
    }
    LogIndex index = indexOf(entries);
    List<Long> expected =
        LongStream.rangeClosed(1, kinds.size())
            .filter(seq -> kinds.get((int) seq - 1) == 1)
            .boxed()
            .toList();
    List<Long> paged = new ArrayList<>();
    long from = descending ? Long.MAX_VALUE : 1;
    while (true) {
      LogIndex.SeqPage page = index.find(kind("K1"), from, descending, limit);
      assertThat(page.seqs().size()).isLessThanOrEqualTo(limit);
      paged.addAll(page.seqs());
      if (page.next().isEmpty()) {
        break;
      }
      from = page.next().getAsLong();
    }
    List<Long> wanted = new ArrayList<>(expected);
    if (descending) {
      java.util.Collections.reverse(wanted);
    }
    assertThat(paged).isEqualTo(wanted);
  }
}
