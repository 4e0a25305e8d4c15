package io.aigw.bench;

import static io.aigw.bench.BenchObjects.backend;
import static io.aigw.bench.BenchObjects.event;
import static io.aigw.bench.BenchObjects.policy;
import static io.aigw.bench.BenchObjects.route;
import static io.aigw.bench.BenchObjects.secret;
import static io.aigw.bench.BenchObjects.upsert;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import java.util.SplittableRandom;

/**
 * The admin benchmark's log: {@code routes} AIGatewayRoutes over ten namespaces, each with its own
 * AIServiceBackend, BackendSecurityPolicy and Secret (recorded as digests), then updates: mostly
 * route and backend edits, Secret rotations, policy edits, route deletes and re-creates, and source
 * errors. Deterministic for a seed.
 */
final class AdminWorkload {

  private final int routes;
  private final SplittableRandom random;
  private long emitted;

  AdminWorkload(int routes, long seed) {
    this.routes = routes;
    this.random = new SplittableRandom(seed);
  }

  LogEvent next() {
    long index = emitted++;
    if (index < 4L * routes) {
      int i = (int) (index / 4);
      return switch ((int) (index % 4)) {
        case 0 -> upsert(secret(i, 0));
        case 1 -> upsert(backend(i, 0));
        case 2 -> upsert(policy(i));
        default -> upsert(route(i, 0, routes));
      };
    }
    int i = random.nextInt(routes);
    int roll = random.nextInt(100);
    int version = 1 + random.nextInt(1_000_000);
    if (roll < 55) {
      return upsert(route(i, version, routes));
    } else if (roll < 75) {
      return upsert(backend(i, version));
    } else if (roll < 87) {
      return upsert(secret(i, version));
    } else if (roll < 92) {
      return upsert(policy(i));
    } else if (roll < 97) {
      return event(
          route(i, version, routes), random.nextBoolean() ? EventType.DELETE : EventType.UPSERT);
    }
    return new SourceError("dir:/bench", "routes-" + i + ".yaml", 1 + version % 80, "bad indent");
  }
}
