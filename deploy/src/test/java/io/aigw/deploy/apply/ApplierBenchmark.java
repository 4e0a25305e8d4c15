package io.aigw.deploy.apply;

import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.Outcome;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The controller's own cost, without an API server over HTTP: N routes folded from an in-memory log
 * and applied by server-side apply to the in-memory {@link FakeApiServer}; then the time from a
 * route's watch event to its HTTPRoute applied. Compare with {@code ControllerBenchmark}, which
 * adds fabric8's mock server and the informers. Not a test.
 */
public final class ApplierBenchmark {

  static final int SAMPLES = 500;

  private ApplierBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {1000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    for (int size : sizes) {
      run(size);
    }
    System.exit(0);
  }

  static String route(int r, int backends, String gateway) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: r-%d, namespace: bench}
        spec:
          parentRefs: [{name: %s}]
          rules: [{matches: [{headers: [{name: x-ai-eg-model, value: model-%d}]}], backendRefs: [{name: b-%d}]}]
        """
        .formatted(r, gateway, r, r % backends);
  }

  static String backend(int b) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIServiceBackend
        metadata: {name: b-%d, namespace: bench}
        spec:
          schema: {name: OpenAI}
          backendRef: {name: b-%d, kind: Backend, group: gateway.envoyproxy.io}
        """
        .formatted(b, b);
  }

  static void run(int routes) throws Exception {
    int backends = Math.max(1, routes / 10);
    try (SimulatedCluster cluster = new SimulatedCluster()) {
      long foldStart = System.nanoTime();
      StringBuilder all = new StringBuilder();
      for (int b = 0; b < backends; b++) {
        all.append(backend(b)).append("---\n");
      }
      for (int r = 0; r < routes; r++) {
        all.append(route(r, backends, "gw-a")).append("---\n");
      }
      long seq = cluster.upsert(all.toString());
      while (cluster.host.currentSeq() < seq) {
        Thread.sleep(10);
      }
      double folded = (System.nanoTime() - foldStart) / 1e9;
      KubernetesApplier applier =
          new KubernetesApplier(
              cluster.api,
              cluster.log,
              cluster.host,
              ApplierOptions.defaults("k8s:bench").withDriftInterval(Duration.ZERO));
      long applyStart = System.nanoTime();
      applier.start();
      settle(cluster, applier);
      double applied = (System.nanoTime() - applyStart) / 1e9;
      ApplierStatus status = applier.status();
      System.out.printf(
          "%n== %d routes, in-memory API with server-side apply%nfold of %d objects %.1f s; apply %.1f s:"
              + " %d created, %d patched%n",
          routes, routes + backends, folded, applied, status.created(), status.patched());
      latency(cluster, routes, backends);
      System.gc();
      System.out.printf(
          "heap %d MiB live after GC (log, world, desired state and the fake server's objects)%n",
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
      applier.close();
    }
  }

  private static void settle(SimulatedCluster cluster, KubernetesApplier applier)
      throws InterruptedException {
    while (true) {
      long seq = cluster.log.latestSeq();
      if (cluster.host.currentSeq() >= seq && applier.status().settledAt(seq)) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static void latency(SimulatedCluster cluster, int routes, int backends) throws Exception {
    Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    cluster.log.onCommit(
        entry -> {
          if (entry.event() instanceof ApplyOutcome outcome
              && outcome.kind().equals("HTTPRoute")
              && outcome.outcome() == Outcome.PATCHED) {
            CompletableFuture<Long> done = waiting.remove(outcome.name());
            if (done != null) {
              done.complete(System.nanoTime());
            }
          }
        });
    Random random = new Random(7);
    long[] nanos = new long[SAMPLES];
    boolean[] moved = new boolean[routes];
    for (int i = 0; i < SAMPLES; i++) {
      int r = random.nextInt(routes);
      CompletableFuture<Long> done = new CompletableFuture<>();
      waiting.put("r-" + r, done);
      moved[r] = !moved[r];
      String gateway = moved[r] ? "gw-b" : "gw-a";
      long start = System.nanoTime();
      cluster.upsert(route(r, backends, gateway));
      nanos[i] = done.get(30, TimeUnit.SECONDS) - start;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "watch event appended -> HTTPRoute applied (%d samples): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        SAMPLES,
        nanos[SAMPLES / 2] / 1e6,
        nanos[(int) (SAMPLES * 0.99) - 1] / 1e6,
        nanos[SAMPLES - 1] / 1e6);
  }
}
