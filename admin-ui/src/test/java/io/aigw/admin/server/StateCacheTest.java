package io.aigw.admin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.admin.history.StateCache;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** States folded on from cached ones equal the host's states at the same seq. */
@ExtendWith(VertxExtension.class)
class StateCacheTest {

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  @Test
  void foldsOnFromACachedStateToTheSameStateAsTheHost(Vertx vertx) {
    try (AdminTestbed bed =
        new AdminTestbed(vertx, SnapshotPolicy.DEFAULT.withInterval(1000).withMaxRetained(4))) {
      bed.recordRouteHistory(40);
      bed.start();
      StateCache<GatewayState> cache =
          new StateCache<>(vertx, bed.log, bed.host, new GatewayProjection(), 8);
      long latest = bed.log.latestSeq();
      await(cache.stateAt(5));
      for (long seq = 6; seq < latest; seq += 3) {
        GatewayState cached = await(cache.stateAt(seq));
        GatewayState hosted = await(bed.host.stateAt(seq));
        assertThat(cached.seq()).isEqualTo(seq);
        assertThat(cached.sameOutputs(hosted)).as("seq %d", seq).isTrue();
        assertThat(cached.world()).isEqualTo(hosted.world());
      }
      assertThat(await(cache.stateAt(latest))).isSameAs(bed.host.current());
    }
  }
}
