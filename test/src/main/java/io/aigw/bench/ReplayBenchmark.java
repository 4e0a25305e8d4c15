package io.aigw.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.file.FileEventLog;
import io.aigw.core.log.file.FileEventLogOptions;
import io.aigw.core.log.file.FsyncPolicy;
import io.aigw.projections.Projection;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.runtime.HostOptions;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.aigw.projections.world.WorldProjection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Replay, fold, {@code stateAt} and heap over a large file log (see BENCHMARKS.md, "Projections").
 * Arguments are {@code key=value}: {@code entries} (1,000,000), {@code routes} (10,000), {@code
 * dir} (where the log is generated once and reused), {@code projection} ({@code world}, {@code
 * gateway} or {@code baseline}), {@code phases} ({@code read,fold,host}), {@code snapshotEvery}
 * (10,000), {@code maxSnapshots} (128), {@code soft} (true: snapshots yield to memory pressure),
 * {@code samples} (200 stateAt calls, or as many as {@code stateAtSeconds}, 120, allow).
 */
public final class ReplayBenchmark {

  private static final int BATCH = 4096;

  private final Map<String, String> args;

  private ReplayBenchmark(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      String[] pair = arg.split("=", 2);
      args.put(pair[0], pair.length > 1 ? pair[1] : "true");
    }
    new ReplayBenchmark(args).run();
    System.exit(0);
  }

  private String arg(String name, String fallback) {
    return args.getOrDefault(name, fallback);
  }

  private long number(String name, long fallback) {
    return Long.parseLong(arg(name, Long.toString(fallback)).replace("_", ""));
  }

  private void run() throws Exception {
    long entries = number("entries", 1_000_000);
    int routes = (int) number("routes", 10_000);
    Path dir = Path.of(arg("dir", "target/replay-bench-log"));
    generateUnlessPresent(dir, entries, routes);
    Projection<?> projection = projection(arg("projection", "world"));
    System.out.printf(
        "projection %s, %,d entries, %,d routes, max heap %,d MiB, %d cpus%n",
        arg("projection", "world"),
        entries,
        routes,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    HeapPeaks peaks = HeapPeaks.watch();
    String phases = arg("phases", "read,fold,host");
    try (FileEventLog log = FileEventLog.open(dir)) {
      if (phases.contains("read")) {
        readOnly(log);
      }
      if (phases.contains("fold")) {
        foldOnly(log, projection, null);
        Projection<?> fresh = projection(arg("projection", "world"));
        Consumer<LogEntry> prepare = prepareStep(fresh);
        if (prepare != null) {
          foldOnly(log, fresh, prepare);
        }
      }
      if (phases.contains("host")) {
        hosted(log, projection);
      }
    }
    System.out.println(peaks.describe());
  }

  private static Projection<?> projection(String name) {
    return switch (name) {
      case "world" -> new WorldProjection();
      case "gateway" -> new GatewayProjection();
      case "baseline" -> new ProjectionBaseline();
      default -> throw new IllegalArgumentException("unknown projection " + name);
    };
  }

  private void generateUnlessPresent(Path dir, long entries, int routes) throws IOException {
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
    ReplayWorkload workload = new ReplayWorkload(routes, 42);
    FileEventLogOptions options = FileEventLogOptions.of(dir).withFsync(FsyncPolicy.NEVER);
    try (FileEventLog log = FileEventLog.open(options)) {
      ArrayDeque<CompletableFuture<LogEntry>> window = new ArrayDeque<>();
      for (long i = 0; i < entries; i++) {
        window.add(log.append(workload.next()));
        if (window.size() >= 10_000) {
          window.poll().join();
        }
      }
      window.forEach(CompletableFuture::join);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "generated %,d entries in %.1f s (fsync off), %,d MiB on disk%n",
        entries, seconds, size(dir) >> 20);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void readOnly(EventLog log) {
    var threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long count = 0;
    for (long seq = 1; seq <= log.latestSeq(); seq += BATCH) {
      count += log.read(seq, BATCH).size();
    }
    report("read + decode only", count, System.nanoTime() - start);
    System.out.printf(
        "read + decode only: %.2f µs thread CPU per entry%n",
        (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / count);
  }

  /**
   * With {@code prepared} (a projection's prepare step, run per batch before the timed folds, as a
   * host runs it on its reading thread), the fold's own cost is what the fold thread pays.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void foldOnly(EventLog log, Projection projection, Consumer<LogEntry> prepared) {
    Object state = projection.initial();
    long preparing = 0;
    long folding = 0;
    long cpu = 0;
    long allocated = 0;
    long count = 0;
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    for (long seq = 1; seq <= log.latestSeq(); seq += BATCH) {
      List<LogEntry> batch = log.read(seq, BATCH);
      if (prepared != null) {
        long prepareStart = threads.getCurrentThreadCpuTime();
        batch.forEach(prepared);
        preparing += threads.getCurrentThreadCpuTime() - prepareStart;
      }
      long cpuStart = threads.getCurrentThreadCpuTime();
      long allocatedStart = threads.getThreadAllocatedBytes(self);
      long start = System.nanoTime();
      for (LogEntry entry : batch) {
        state = projection.apply(state, entry);
      }
      folding += System.nanoTime() - start;
      cpu += threads.getCurrentThreadCpuTime() - cpuStart;
      allocated += threads.getThreadAllocatedBytes(self) - allocatedStart;
      count += batch.size();
    }
    report(
        prepared == null ? "fold only (read time excluded)" : "fold only, prepared ahead",
        count,
        folding);
    System.out.printf(
        "fold only: %.2f µs thread CPU per entry, %,d bytes allocated per entry%n",
        cpu / 1e3 / count, allocated / count);
    if (prepared != null) {
      System.out.printf(
          "prepare (reading thread, not in the fold's figures): %.2f µs thread CPU per entry%n",
          preparing / 1e3 / count);
    }
  }

  private static Consumer<LogEntry> prepareStep(Projection<?> projection) {
    if (projection instanceof GatewayProjection gateway) {
      return gateway::prepare;
    }
    return projection instanceof WorldProjection world ? world::prepare : null;
  }

  private static void report(String what, long entries, long nanos) {
    System.out.printf(
        "%-34s %,10d entries in %6.2f s = %,10.0f entries/s%n",
        what, entries, nanos / 1e9, entries / (nanos / 1e9));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void hosted(EventLog log, Projection projection) throws Exception {
    SnapshotPolicy policy =
        SnapshotPolicy.DEFAULT
            .withInterval(number("snapshotEvery", 10_000))
            .withMaxRetained((int) number("maxSnapshots", 128))
            .withSoft(Boolean.parseBoolean(arg("soft", "true")));
    Vertx vertx = Vertx.vertx();
    try {
      Consumer<LogEntry> prepare = prepareStep(projection);
      if (prepare == null) {
        prepare = entry -> {};
      }
      ProjectionHost host =
          new ProjectionHost(
              log, projection, HostOptions.named("bench").withSnapshots(policy), prepare);
      long start = System.nanoTime();
      join(host.start(vertx));
      report("full replay through the host", host.currentSeq(), System.nanoTime() - start);
      System.out.printf(
          "snapshots kept: %d (every %,d entries)%n",
          host.position().snapshots().size(), host.position().snapshots().stride());
      stateAt(host, log.latestSeq(), (int) number("samples", 200), number("stateAtSeconds", 120));
      liveSet();
      join(host.close());
    } finally {
      join(vertx.close());
    }
  }

  /** {@code samples} calls at random seqs, or as many as fit in {@code seconds}. */
  private static void stateAt(ProjectionHost<?> host, long latest, int samples, long seconds)
      throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    long[] nanos = new long[samples];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int done = 0;
    while (done < samples && System.nanoTime() < deadline) {
      long seq = 1 + random.nextLong(latest);
      long start = System.nanoTime();
      join(host.stateAt(seq));
      nanos[done++] = System.nanoTime() - start;
    }
    if (done == 0) {
      return;
    }
    long[] measured = Arrays.copyOf(nanos, done);
    Arrays.sort(measured);
    System.out.printf(
        "stateAt(random seq), %d calls: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        done,
        measured[done / 2] / 1e6,
        measured[Math.min(done - 1, done * 99 / 100)] / 1e6,
        measured[done - 1] / 1e6);
  }

  private static void liveSet() {
    System.gc();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf("heap after a full GC (host state + snapshots): %,d MiB%n", used >> 20);
  }

  /** The largest heap in use seen before and after any collection since the last reset. */
  private static final class HeapPeaks implements NotificationListener {
    private long beforeGc;
    private long afterGc;

    static HeapPeaks watch() {
      HeapPeaks peaks = new HeapPeaks();
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) collector).addNotificationListener(peaks, null, null);
      }
      return peaks;
    }

    @Override
    public synchronized void handleNotification(Notification notification, Object handback) {
      if (!notification
          .getType()
          .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      beforeGc = Math.max(beforeGc, heap(info.getGcInfo().getMemoryUsageBeforeGc()));
      afterGc = Math.max(afterGc, heap(info.getGcInfo().getMemoryUsageAfterGc()));
    }

    private static long heap(Map<String, MemoryUsage> pools) {
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pools.containsKey(pool.getName())) {
          used += pools.get(pool.getName()).getUsed();
        }
      }
      return used;
    }

    synchronized String describe() {
      return String.format(
          "peak heap in use: %,d MiB (before a collection), %,d MiB (after one)",
          beforeGc >> 20, afterGc >> 20);
    }
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.MINUTES);
  }
}
