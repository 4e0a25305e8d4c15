package io.aigw.projections.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.aigw.projections.properties.GatewayObjects;
import io.aigw.projections.snapshot.Snapshot;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.aigw.projections.world.WorldProjection;
import io.aigw.projections.world.WorldState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogReplayTest {

  private final WorldProjection world = new WorldProjection();
  private InMemoryEventLog log;

  @BeforeEach
  void fillLog() {
    log = new InMemoryEventLog();
    for (int i = 0; i < 10_000; i++) {
      log.append(
              GatewayObjects.upsert(
                  GatewayObjects.backend("default", "backend-" + (i % 300), "OpenAI")))
          .join();
    }
  }

  @AfterEach
  void closeLog() {
    log.close();
  }

  private WorldState fold(long toSeq) {
    List<LogEntry> entries = log.read(1, (int) toSeq);
    return world.applyAll(world.initial(), entries);
  }

  @Test
  void foldsTheLogUpToTheGivenSeq() {
    assertThat(LogReplay.foldTo(log, world, 9_999)).isEqualTo(fold(9_999));
    assertThat(LogReplay.foldTo(log, world, 0)).isEqualTo(world.initial());
  }

  @Test
  void preparesEveryEntryItFolds() {
    List<Long> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();
    assertThat(LogReplay.foldTo(log, world, 100, entry -> prepared.add(entry.seq())))
        .isEqualTo(fold(100));
    assertThat(prepared).hasSize(100).startsWith(1L).endsWith(100L);
  }

  @Test
  void stopsAtTheLatestSeqWhenAskedForMore() {
    assertThat(LogReplay.foldTo(log, world, Long.MAX_VALUE)).isEqualTo(fold(10_000));
  }

  @Test
  void keepsTheSnapshotsThePolicyAsksFor() {
    var position = LogReplay.positionAt(log, world, 10_000, new SnapshotPolicy(4_000, 10, 1));
    assertThat(position.seq()).isEqualTo(10_000);
    assertThat(position.snapshots().all())
        .extracting(Snapshot::seq)
        .containsExactly(4_000L, 8_000L);
    assertThat(position.snapshots().nearest(5_000).orElseThrow().state()).isEqualTo(fold(4_000));
  }
}
