package io.aigw.bench;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEntry;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.desired.DesiredResourcesProjection;
import io.aigw.projections.filterconfig.FilterConfigProjection;
import io.aigw.projections.gateway.ExtProcScope;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The gateway fold alone (see BENCHMARKS.md, "Gateway fold (fold only)"): the replay benchmark's
 * workload is generated in memory, one batch at a time, and only {@code GatewayProjection.apply} is
 * timed, so neither the log nor decoding counts. Arguments are {@code key=value}: {@code entries}
 * (1,000,000), {@code routes} (10,000), {@code seed} (42), {@code prepare} (false: true has the
 * thread that makes the batches prepare their entries ahead of the fold), {@code digest} (true: a
 * SHA-256 of every output of the final state, which must not change when the fold gets faster),
 * {@code read} (0: outputs are read only after the last entry, as a replay does; N reads them after
 * every N-th entry, as a live host's subscriber does with N = 1; the reads are timed with the
 * fold). The first read of the final state's outputs, which derives them, is timed on its own.
 *
 * <p>Command (after {@code mvn -pl test -am -DskipTests install}): {@code cd test && mvn -B -q
 * exec:java -Dexec.mainClass=io.aigw.bench.GatewayFoldBenchmark -Dexec.args="entries=150000"}.
 */
public final class GatewayFoldBenchmark {

  private static final int BATCH = 4096;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private GatewayFoldBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      String[] pair = arg.split("=", 2);
      args.put(pair[0], pair.length > 1 ? pair[1] : "true");
    }
    long entries = number(args, "entries", 1_000_000);
    int routes = (int) number(args, "routes", 10_000);
    long seed = number(args, "seed", 42);
    System.out.printf(
        "gateway fold, %,d entries, %,d routes, prepare=%s, read=%s, max heap %,d MiB, %d cpus%n",
        entries,
        routes,
        args.getOrDefault("prepare", "false"),
        args.getOrDefault("read", "0"),
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    boolean ahead = Boolean.parseBoolean(args.getOrDefault("prepare", "false"));
    long read = number(args, "read", 0);
    GatewayState state =
        fold(new ReplayWorkload(routes, seed), entries, 1 + 4L * routes, ahead, read);
    long startCpu = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int desired = state.desired().size();
    System.out.printf(
        "first read of the final outputs (%,d desired objects): %,.1f ms, thread cpu %,.1f ms%n",
        desired,
        (System.nanoTime() - start) / 1e6,
        (THREADS.getCurrentThreadCpuTime() - startCpu) / 1e6);
    System.gc();
    long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "final state: %,d desired objects, %,d filter configs, %,d statuses;"
            + " heap after a full GC %,d MiB%n",
        state.desired().size(), state.filterConfigs().size(), state.statuses().size(), live >> 20);
    if (Boolean.parseBoolean(args.getOrDefault("digest", "true"))) {
      System.out.println("outputs sha256 " + digest(state));
    }
  }

  private static long number(Map<String, String> args, String name, long fallback) {
    return Long.parseLong(args.getOrDefault(name, Long.toString(fallback)).replace("_", ""));
  }

  /**
   * Folds {@code entries} entries; the first {@code load} create the objects, then updates. With
   * {@code ahead}, another thread makes the batches and prepares their entries ({@code
   * GatewayProjection.prepare}), as a replay's reader thread would.
   */
  private static GatewayState fold(
      ReplayWorkload workload, long entries, long load, boolean ahead, long read) throws Exception {
    GatewayProjection projection =
        new GatewayProjection(
            new FilterConfigProjection(), new DesiredResourcesProjection(), ExtProcScope.ROUTE);
    BlockingQueue<List<LogEntry>> batches = new ArrayBlockingQueue<>(4);
    Thread producer =
        new Thread(() -> produce(workload, entries, load, ahead ? projection : null, batches));
    producer.setDaemon(true);
    producer.start();
    GatewayState state = projection.initial();
    long[] nanos = new long[2];
    long[] cpu = new long[2];
    long[] bytes = new long[2];
    long[] counts = new long[2];
    long begin = System.nanoTime();
    long folded = 0;
    while (folded < entries) {
      List<LogEntry> batch = batches.take();
      int phase = batch.get(0).seq() <= load ? 0 : 1;
      long startCpu = THREADS.getCurrentThreadCpuTime();
      long startBytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      long start = System.nanoTime();
      for (LogEntry entry : batch) {
        state = projection.apply(state, entry);
        if (read > 0 && entry.seq() % read == 0) {
          state.desired();
        }
      }
      nanos[phase] += System.nanoTime() - start;
      cpu[phase] += THREADS.getCurrentThreadCpuTime() - startCpu;
      bytes[phase] += THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - startBytes;
      counts[phase] += batch.size();
      folded += batch.size();
    }
    long pipeline = System.nanoTime() - begin;
    report("initial load (creates)", counts[0], nanos[0], cpu[0], bytes[0]);
    report("updates", counts[1], nanos[1], cpu[1], bytes[1]);
    report("all", counts[0] + counts[1], nanos[0] + nanos[1], cpu[0] + cpu[1], bytes[0] + bytes[1]);
    System.out.printf(
        "%-24s %,10d entries in %6.2f s = %,9.0f entries/s (generating the workload included)%n",
        "pipeline wall time", folded, pipeline / 1e9, folded / (pipeline / 1e9));
    return state;
  }

  /** Makes the batches, never mixing the initial load and the updates in one. */
  private static void produce(
      ReplayWorkload workload,
      long entries,
      long load,
      GatewayProjection preparer,
      BlockingQueue<List<LogEntry>> batches) {
    long seq = 1;
    try {
      while (seq <= entries) {
        long end = Math.min(entries, seq <= load ? load : Long.MAX_VALUE);
        int size = (int) Math.min(BATCH, end - seq + 1);
        List<LogEntry> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          LogEntry entry = new LogEntry(seq++, Instant.EPOCH, workload.next());
          if (preparer != null) {
            preparer.prepare(entry);
          }
          batch.add(entry);
        }
        batches.put(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Wall time is what a user waits; the folding thread's CPU time is steadier on a shared machine
   * (it leaves out time spent waiting for a core, not the GC threads' work).
   */
  private static void report(String what, long count, long nanos, long cpu, long bytes) {
    if (count > 0) {
      System.out.printf(
          "%-24s %,10d entries in %6.2f s = %,9.0f entries/s; thread cpu %6.2f s = %,9.0f"
              + " entries/s; %,7.0f bytes allocated per entry%n",
          what,
          count,
          nanos / 1e9,
          count / (nanos / 1e9),
          cpu / 1e9,
          count / (cpu / 1e9),
          (double) bytes / count);
    }
  }

  /** Every output: desired objects with provenance, filter configs, statuses, in key order. */
  private static String digest(GatewayState state) throws NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (DesiredResource resource : state.desired().values()) {
      update(sha, resource.key() + " " + resource.provenance());
      update(sha, CanonicalJson.write(resource.object()));
    }
    state
        .filterConfigs()
        .forEach((key, config) -> update(sha, key + " " + FilterConfigCodec.toYaml(config)));
    for (ResourceStatus status : state.statuses().values()) {
      update(sha, CanonicalJson.writeValue(status));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void update(MessageDigest sha, String text) {
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
  }
}
