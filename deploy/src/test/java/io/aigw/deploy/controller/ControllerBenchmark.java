package io.aigw.deploy.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.Outcome;
import io.aigw.deploy.apply.ApplierOptions;
import io.aigw.deploy.apply.ApplierStatus;
import io.aigw.deploy.apply.FabricObjectApi;
import io.aigw.deploy.apply.ResourceType;
import io.aigw.deploy.leader.LeaseElection;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.watchers.informer.WatchedKind;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The controller against fabric8's CRUD mock server (run as a separate process, so the heap and CPU
 * measured here are the controller's): cold start to full convergence with N routes present, then
 * the time from a route write to its HTTPRoute applied. Not a test.
 *
 * <pre>
 * java -Xmx1g -cp &lt;deploy test classpath&gt; io.aigw.deploy.controller.ControllerBenchmark 1000 10000
 * </pre>
 */
public final class ControllerBenchmark {

  static final String NS = "bench";
  static final int SAMPLES = 200;
  static final boolean FSYNC = !"false".equals(System.getProperty("aigw.bench.fsync"));

  private final int routes;
  private final Vertx vertx = Vertx.vertx();
  private Process server;
  private String url;
  private KubernetesClient kubectl;
  private FabricObjectApi writer;

  private ControllerBenchmark(int routes) {
    this.routes = routes;
  }

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {1000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.printf(
        "java %s, %d cpus, max heap %d MiB, log fsync %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        FSYNC);
    for (int size : sizes) {
      new ControllerBenchmark(size).run();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    startServer();
    try {
      long seedStart = System.nanoTime();
      seed();
      System.out.printf(
          "%n== %d routes (%d backends) seeded in %.1f s%n", routes, backends(), secs(seedStart));
      Path data = Files.createTempDirectory("aigw-bench-");
      resetPeaks();
      long coldStart = System.nanoTime();
      KubernetesController controller = startController(data);
      double ready = secs(coldStart);
      awaitConverged(controller);
      double converged = secs(coldStart);
      ApplierStatus status = controller.applierStatus().orElseThrow();
      System.out.printf(
          "cold start: ready (informers synced, log folded) %.1f s; converged %.1f s: %d created,"
              + " %d patched, %d failed, %d retries; log seq %d%n",
          ready,
          converged,
          status.created(),
          status.patched(),
          status.failed(),
          status.retries(),
          controller.log().latestSeq());
      heap("after convergence");
      latency(controller);
      heap("after the latency run");
      controller.close().await(30, TimeUnit.SECONDS);
    } finally {
      stopServer();
    }
  }

  private int backends() {
    return Math.max(1, routes / 10);
  }

  private void startServer() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx3g",
            "-Djava.util.logging.config.file="
                + Path.of(System.getProperty("aigw.root", "."), "config/test-logging.properties"),
            "-cp",
            System.getProperty("java.class.path"),
            MockServerMain.class.getName());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    server = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
      // skip the server's chatter
    }
    if (line == null) {
      throw new IllegalStateException("the mock server did not start");
    }
    url = line.substring("READY ".length());
    kubectl =
        ClusterClients.of(vertx, new ConfigBuilder().withMasterUrl(url).withNamespace(NS).build());
    writer = new FabricObjectApi(kubectl, Duration.ofSeconds(60));
  }

  private void stopServer() throws Exception {
    kubectl.close();
    server.getOutputStream().close();
    server.destroy();
    server.waitFor(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void seed() throws Exception {
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    for (int b = 0; b < backends(); b++) {
      submit(inFlight, ResourceType.AI_SERVICE_BACKEND, backend(b));
    }
    for (int r = 0; r < routes; r++) {
      submit(inFlight, ResourceType.AI_GATEWAY_ROUTE, route(r, "gw-a"));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  private void submit(List<CompletableFuture<?>> inFlight, ResourceType type, String json)
      throws Exception {
    inFlight.add(
        writer
            .create(type, NS, json)
            .toCompletableFuture()
            .thenAccept(
                response -> {
                  if (!response.ok()) {
                    throw new IllegalStateException(response.reason());
                  }
                }));
    if (inFlight.size() >= 32) {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      inFlight.clear();
    }
  }

  static String backend(int b) {
    return "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIServiceBackend\","
        + "\"metadata\":{\"name\":\"b-"
        + b
        + "\",\"namespace\":\""
        + NS
        + "\"},"
        + "\"spec\":{\"schema\":{\"name\":\"OpenAI\"},\"backendRef\":{\"name\":\"b-"
        + b
        + "\",\"kind\":\"Backend\",\"group\":\"gateway.envoyproxy.io\"}}}";
  }

  String route(int r, String gateway) {
    return "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIGatewayRoute\","
        + "\"metadata\":{\"name\":\"r-"
        + r
        + "\",\"namespace\":\""
        + NS
        + "\"},"
        + "\"spec\":{\"parentRefs\":[{\"name\":\""
        + gateway
        + "\"}],\"rules\":[{\"matches\":"
        + "[{\"headers\":[{\"name\":\"x-ai-eg-model\",\"value\":\"model-"
        + r
        + "\"}]}],"
        + "\"backendRefs\":[{\"name\":\"b-"
        + (r % backends())
        + "\"}]}]}}";
  }

  private KubernetesController startController(Path data) throws Exception {
    KubernetesClient client =
        ClusterClients.of(vertx, new ConfigBuilder().withMasterUrl(url).withNamespace(NS).build());
    ControllerOptions options =
        new ControllerOptions(
            data,
            FSYNC,
            ExtProcSettings.DEFAULT,
            LeaseElection.Options.of(NS, "aigw-controller", "bench"),
            ApplierOptions.defaults("k8s:bench")
                .withNamespaces(List.of(NS))
                .withDriftInterval(Duration.ZERO),
            Duration.ofSeconds(60));
    KubernetesController controller =
        KubernetesController.start(vertx, client, options).await(10, TimeUnit.MINUTES);
    controller.ready().await(30, TimeUnit.MINUTES);
    return controller;
  }

  private void awaitConverged(KubernetesController controller) throws InterruptedException {
    int expected = routes * 7;
    while (true) {
      long seq = controller.log().latestSeq();
      var status = controller.applierStatus();
      if (controller.host().current().desired().size() == expected
          && controller.host().currentSeq() >= seq
          && status.map(s -> s.settledAt(seq)).orElse(false)) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private void latency(KubernetesController controller) throws Exception {
    Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    controller.log().onCommit(entry -> applied(entry, waiting));
    Random random = new Random(7);
    long[] fromAccepted = new long[SAMPLES];
    long[] fromWrite = new long[SAMPLES];
    long[] toLog = new long[SAMPLES];
    boolean[] moved = new boolean[routes];
    for (int i = 0; i < SAMPLES; i++) {
      int r = random.nextInt(routes);
      moved[r] = !moved[r];
      String gateway = moved[r] ? "gw-b" : "gw-a";
      CompletableFuture<Long> done = new CompletableFuture<>();
      waiting.put("r-" + r, done);
      long before = System.nanoTime();
      kubectl
          .genericKubernetesResources(WatchedKind.AI_GATEWAY_ROUTE.context())
          .inNamespace(NS)
          .withName("r-" + r)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"parentRefs\":[{\"name\":\"" + gateway + "\"}]}}");
      long accepted = System.nanoTime();
      long at = done.get(60, TimeUnit.SECONDS);
      fromAccepted[i] = at - accepted;
      fromWrite[i] = at - before;
      toLog[i] = recorded.remove("r-" + r) - accepted;
    }
    System.out.printf(
        "  of which route write accepted -> watch event committed to the log: p50 %.1f ms, p99 %.1f ms%n",
        pct(toLog, 50), pct(toLog, 99));
    System.out.printf(
        "route write accepted -> HTTPRoute applied (%d samples, one at a time): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        SAMPLES, pct(fromAccepted, 50), pct(fromAccepted, 99), pct(fromAccepted, 100));
    System.out.printf(
        "route write sent -> HTTPRoute applied: p50 %.1f ms, p99 %.1f ms%n",
        pct(fromWrite, 50), pct(fromWrite, 99));
  }

  private final Map<String, Long> recorded = new ConcurrentHashMap<>();

  private void applied(LogEntry entry, Map<String, CompletableFuture<Long>> waiting) {
    if (entry.event() instanceof io.aigw.core.event.WatchEvent event
        && event.kind().equals("AIGatewayRoute")
        && waiting.containsKey(event.name())) {
      recorded.put(event.name(), System.nanoTime());
    }
    if (entry.event() instanceof ApplyOutcome outcome
        && outcome.kind().equals("HTTPRoute")
        && outcome.outcome() == Outcome.PATCHED) {
      CompletableFuture<Long> done = waiting.remove(outcome.name());
      if (done != null) {
        done.complete(System.nanoTime());
      }
    }
  }

  private static double pct(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index =
        Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static void heap(String when) {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.gc();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf("heap %s: %d MiB live after GC, peak %d MiB%n", when, used >> 20, peak >> 20);
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static ObjectNode tree(String json) {
    return (ObjectNode) CanonicalJson.read(json);
  }
}
