package io.aigw.bench;

import static io.aigw.bench.BenchObjects.backend;
import static io.aigw.bench.BenchObjects.configMap;
import static io.aigw.bench.BenchObjects.event;
import static io.aigw.bench.BenchObjects.gateway;
import static io.aigw.bench.BenchObjects.policy;
import static io.aigw.bench.BenchObjects.route;
import static io.aigw.bench.BenchObjects.secret;
import static io.aigw.bench.BenchObjects.upsert;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import java.util.SplittableRandom;

/**
 * The replay benchmark's log: {@code routes} AIGatewayRoutes over ten namespaces, each with its own
 * AIServiceBackend, BackendSecurityPolicy and Secret (and a second rule on its neighbour's
 * backend), one Gateway, then updates until {@code entries}: mostly route and backend edits, secret
 * rotations, some policy edits, route deletes and re-creates, unrelated ConfigMaps and source
 * errors. Deterministic for a given seed.
 */
final class ReplayWorkload {

  private final int routes;
  private final SplittableRandom random;
  private long emitted;

  ReplayWorkload(int routes, long seed) {
    this.routes = routes;
    this.random = new SplittableRandom(seed);
  }

  /** The next event: the initial objects first, then updates. */
  LogEvent next() {
    long index = emitted++;
    if (index == 0) {
      return upsert(gateway());
    }
    if (index <= 4L * routes) {
      int i = (int) ((index - 1) / 4);
      return switch ((int) ((index - 1) % 4)) {
        case 0 -> upsert(secret(i, 0));
        case 1 -> upsert(backend(i, 0));
        case 2 -> upsert(policy(i));
        default -> upsert(route(i, 0, routes));
      };
    }
    return update();
  }

  private LogEvent update() {
    int i = random.nextInt(routes);
    int roll = random.nextInt(100);
    int version = random.nextInt(1_000_000);
    if (roll < 55) {
      return upsert(route(i, version, routes));
    } else if (roll < 75) {
      return upsert(backend(i, version));
    } else if (roll < 87) {
      return upsert(secret(i, version));
    } else if (roll < 92) {
      return upsert(policy(i));
    } else if (roll < 95) {
      return event(
          route(i, version, routes), random.nextBoolean() ? EventType.DELETE : EventType.UPSERT);
    } else if (roll < 98) {
      return upsert(configMap(i, version));
    }
    return new SourceError("dir:/bench", "routes-" + i + ".yaml", 1 + version % 80, "bad indent");
  }
}
