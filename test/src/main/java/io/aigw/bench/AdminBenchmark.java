package io.aigw.bench;

import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminServer;
import io.aigw.admin.server.AdminSources;
import io.aigw.admin.server.AdminTokens;
import io.aigw.admin.server.Role;
import io.aigw.core.event.LogEntry;
import io.aigw.core.log.LogPublisher;
import io.aigw.core.log.file.FileEventLog;
import io.aigw.core.log.file.FileEventLogOptions;
import io.aigw.core.log.file.FsyncPolicy;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.HostOptions;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Latency of the admin API on a large log (see BENCHMARKS.md, "Admin API"): {@code GET
 * /api/state?at=} and {@code GET /api/diff} at the latest seq, at random seqs (the server's state
 * cache cannot help) and stepping one seq at a time (it can), timeline pages, and a full shadow
 * replay through {@code POST /api/replay}. Arguments are {@code key=value}: {@code entries}
 * (1,000,000), {@code routes} (10,000), {@code dir} (the log, generated once and reused), {@code
 * samples} (30 per endpoint).
 */
public final class AdminBenchmark {

  private static final String TOKEN = "bench-admin-token-0123456789";

  private final Map<String, String> args;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  private AdminBenchmark(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      String[] pair = arg.split("=", 2);
      args.put(pair[0], pair.length > 1 ? pair[1] : "true");
    }
    new AdminBenchmark(args).run();
    System.exit(0);
  }

  private long number(String name, long fallback) {
    return Long.parseLong(args.getOrDefault(name, Long.toString(fallback)).replace("_", ""));
  }

  private void run() throws Exception {
    long entries = number("entries", 1_000_000);
    int routes = (int) number("routes", 10_000);
    int samples = (int) number("samples", 30);
    Path dir = Path.of(args.getOrDefault("dir", "target/admin-bench-log"));
    generateUnlessPresent(dir, entries, routes);
    System.out.printf(
        "%,d entries, %,d routes, max heap %,d MiB, %d cpus%n",
        entries,
        routes,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx();
    try (FileEventLog log = FileEventLog.open(dir)) {
      LogPublisher publisher = LogPublisher.start(vertx, log);
      ProjectionHost<GatewayState> host =
          new ProjectionHost<>(
              log,
              projection(),
              HostOptions.named("gateway")
                  .withSnapshots(
                      SnapshotPolicy.DEFAULT
                          .withInterval(number("snapshotEvery", SnapshotPolicy.DEFAULT.interval()))
                          .withMaxRetained(
                              (int) number("maxSnapshots", SnapshotPolicy.DEFAULT.maxRetained()))));
      long start = System.nanoTime();
      join(host.start(vertx));
      System.out.printf("projection host replayed in %.1f s%n", (System.nanoTime() - start) / 1e9);
      System.out.printf(
          "%d snapshots kept, heap used after a collection: %,d MiB%n",
          host.status().snapshotSeqs().size(), usedHeap() >> 20);
      start = System.nanoTime();
      AdminServer server =
          join(
              AdminServer.start(
                  vertx,
                  new AdminOptions("127.0.0.1", 0, AdminTokens.of(Map.of(TOKEN, Role.ADMIN))),
                  new AdminSources(log, host, projection(), RestoreTarget.UNSUPPORTED, () -> "")));
      base = "http://127.0.0.1:" + server.port();
      while (server.index().latestSeq() < log.latestSeq()) {
        Thread.onSpinWait();
      }
      System.out.printf(
          "admin index built in %.1f s (%,d entries)%n",
          (System.nanoTime() - start) / 1e9, server.index().latestSeq());
      measure(log.latestSeq(), samples);
      System.out.printf("heap used after the run: %,d MiB%n", usedHeap() >> 20);
      join(server.close());
      join(host.close());
      publisher.close();
    } finally {
      join(vertx.close());
    }
  }

  private GatewayProjection projection() {
    return new GatewayProjection();
  }

  private void measure(long latest, int samples) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    // warm up the JIT on the latest state, which needs no folding
    for (int i = 0; i < 50; i++) {
      get("/api/state?at=" + latest);
      get("/api/log?order=desc&limit=100");
    }
    long[] current = new long[samples];
    for (int i = 0; i < samples; i++) {
      current[i] = get("/api/state?at=" + latest);
    }
    report("GET /api/state?at=<latest>", current);
    long[] state = new long[samples];
    for (int i = 0; i < samples; i++) {
      state[i] = get("/api/state?at=" + (1 + random.nextLong(latest)));
    }
    report("GET /api/state?at=<random seq>", state);
    long[] step = new long[samples];
    long at = 1 + random.nextLong(latest - samples);
    get("/api/state?at=" + at);
    for (int i = 0; i < samples; i++) {
      step[i] = get("/api/state?at=" + (at + i + 1));
    }
    report("GET /api/state?at=<previous seq + 1>", step);
    long[] near = new long[samples];
    for (int i = 0; i < samples; i++) {
      long to = 1001 + random.nextLong(latest - 1000);
      near[i] = get("/api/diff?from=" + (to - 1 - random.nextLong(1000)) + "&to=" + to);
    }
    report("GET /api/diff, to - from <= 1,000", near);
    long[] far = new long[samples];
    for (int i = 0; i < samples; i++) {
      long a = 1 + random.nextLong(latest);
      long b = 1 + random.nextLong(latest);
      far[i] = get("/api/diff?from=" + Math.min(a, b) + "&to=" + Math.max(a, b));
    }
    report("GET /api/diff, random pairs", far);
    long[] pages = new long[samples * 4];
    for (int i = 0; i < pages.length; i++) {
      pages[i] =
          get(
              i % 2 == 0
                  ? "/api/log?order=desc&limit=100&from=" + (1 + random.nextLong(latest))
                  : "/api/log?kind=AIGatewayRoute&name=route-0" + (1000 + random.nextInt(9000)));
    }
    report("GET /api/log (page / one object)", pages);
    long start = System.nanoTime();
    String replay = post("/api/replay", "{}");
    System.out.printf(
        "POST /api/replay (full, %,d entries): %.1f s round trip; report %s%n",
        latest, (System.nanoTime() - start) / 1e9, replay);
  }

  private long get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    long start = System.nanoTime();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long nanos = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
    return nanos;
  }

  private String post(String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-36s n=%d  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static long usedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void generateUnlessPresent(Path dir, long entries, int routes) throws IOException {
    if (Files.isDirectory(dir)) {
      try (FileEventLog log = FileEventLog.open(dir)) {
        if (log.latestSeq() == entries) {
          return;
        }
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    long start = System.nanoTime();
    AdminWorkload workload = new AdminWorkload(routes, 42);
    try (FileEventLog log =
        FileEventLog.open(FileEventLogOptions.of(dir).withFsync(FsyncPolicy.NEVER))) {
      ArrayDeque<CompletableFuture<LogEntry>> window = new ArrayDeque<>();
      for (long i = 0; i < entries; i++) {
        window.add(log.append(workload.next()));
        if (window.size() >= 10_000) {
          window.poll().join();
        }
      }
      window.forEach(CompletableFuture::join);
    }
    System.out.printf(
        "generated %,d entries in %.1f s%n", entries, (System.nanoTime() - start) / 1e9);
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.MINUTES).join();
  }
}
