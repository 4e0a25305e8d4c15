package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.FilterConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend choice seen from outside: weights and priority fallback under passive health. */
class RoutingE2E {

  @TempDir Path dir;

  @Test
  void splitsOneThousandRequestsByWeight() throws Exception {
    Path key = dir.resolve("key");
    java.nio.file.Files.writeString(key, "sk");
    FilterConfig config =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(
                    GatewayFixture.MODEL,
                    GatewayFixture.ref("light.default", 1, 0),
                    GatewayFixture.ref("heavy.default", 3, 0))),
            List.of(
                GatewayFixture.backend("light.default", key),
                GatewayFixture.backend("heavy.default", key)));
    try (GatewayFixture gateway = new GatewayFixture(dir, config)) {
      FakeProvider light = gateway.provider("light.default");
      FakeProvider heavy = gateway.provider("heavy.default");
      Requests requests = new Requests(gateway.baseUrl());
      Semaphore inFlight = new Semaphore(32);
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        inFlight.acquire();
        all.add(requests.chatAsync().whenComplete((r, e) -> inFlight.release()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      assertThat(all).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
      assertThat(light.received.size() + heavy.received.size()).isEqualTo(1000);
      // expected 250 and 750; +-60 is more than 4 standard deviations (13.7)
      assertThat(light.received.size()).isBetween(190, 310);
      assertThat(heavy.received.size()).isBetween(690, 810);
    }
  }

  @Test
  void fallsBackToTheNextPriorityOnceTheFirstKeepsAnswering503() throws Exception {
    Path key = dir.resolve("key");
    java.nio.file.Files.writeString(key, "sk");
    FilterConfig config =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(
                    GatewayFixture.MODEL,
                    GatewayFixture.ref("primary.default", 1, 0),
                    GatewayFixture.ref("fallback.default", 1, 1))),
            List.of(
                GatewayFixture.backend("primary.default", key),
                GatewayFixture.backend("fallback.default", key)));
    try (GatewayFixture gateway = new GatewayFixture(dir, config)) {
      FakeProvider primary = gateway.provider("primary.default");
      FakeProvider fallback = gateway.provider("fallback.default");
      primary.behaviour = FakeProvider.Behaviour.FAIL_503;
      Requests requests = new Requests(gateway.baseUrl());
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        statuses.add(requests.chat().statusCode());
      }
      assertThat(statuses).containsExactly(503, 503, 503, 200, 200, 200, 200, 200, 200, 200);
      assertThat(primary.received).hasSize(3);
      assertThat(fallback.received).hasSize(7);
      assertThat(gateway.extProc.health().ejected(System.nanoTime()))
          .containsExactly("primary.default");
      assertThat(gateway.proxy.exchanges.get(0).hasMetadata("used_token"))
          .as("no metadata for errors")
          .isFalse();
    }
  }
}
