package io.aigw.bench;

import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.file.FileEventLog;
import io.aigw.core.log.file.FileEventLogOptions;
import io.aigw.core.log.file.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable appends per second of the file log with group commit, and read/decode throughput.
 *
 * <pre>
 *   mvn -B -q -pl test exec:java -Dexec.mainClass=io.aigw.bench.LogAppendBenchmark \
 *       [-Dexec.args="--seconds=10 --appenders=1,16,64,256 --window=1024 --entries=1000000 --dir=/path"]
 * </pre>
 *
 * Phase 1: N threads each append and wait for the acknowledgement (closed loop), fsync ALWAYS.
 * Phase 2: one producer keeping {@code window} appends in flight, fsync ALWAYS. Phase 3: writes
 * {@code entries} entries (fsync NEVER, to set up quickly), reopens the log and reads them all with
 * {@code read(from, 10000)}, then decodes the same number of encoded entries in memory. Every event
 * is a realistic AIGatewayRoute UPSERT of about 600 bytes encoded.
 */
public final class LogAppendBenchmark {

  private static final int READ_BATCH = 10_000;

  private final Map<String, String> args;
  private final Path root;

  private LogAppendBenchmark(Map<String, String> args) throws IOException {
    this.args = args;
    this.root =
        args.containsKey("dir")
            ? Files.createDirectories(Path.of(args.get("dir")))
            : Files.createTempDirectory("aigw-log-bench");
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      String[] pair = arg.replaceFirst("^--", "").split("=", 2);
      args.put(pair[0], pair.length > 1 ? pair[1] : "true");
    }
    LogAppendBenchmark benchmark = new LogAppendBenchmark(args);
    try {
      benchmark.run();
    } finally {
      benchmark.deleteRoot();
    }
  }

  private void run() throws Exception {
    int seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
    System.out.printf(
        "machine: %d cores, java %s, log dir %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), root);
    System.out.printf(
        "event: %d bytes encoded (entry incl. header), %d bytes object JSON%n",
        LogEntryCodec.encode(new LogEntry(1, java.time.Instant.EPOCH, route(1))).length,
        route(1).objectJson().length());
    for (String n : args.getOrDefault("appenders", "1,16,64,256").split(",")) {
      closedLoop(Integer.parseInt(n.trim()), seconds);
    }
    pipelined(Integer.parseInt(args.getOrDefault("window", "1024")), seconds);
    readBack(Integer.parseInt(args.getOrDefault("entries", "1000000")));
  }

  /** A realistic AIGatewayRoute UPSERT; {@code i} varies the name and generation. */
  static WatchEvent route(long i) {
    String name = "route-" + (i % 10_000);
    String json =
        "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIGatewayRoute\","
            + "\"metadata\":{\"generation\":"
            + i
            + ",\"name\":\""
            + name
            + "\",\"namespace\":\"team-a\",\"uid\":\"6f1c2d1e-8a4b-4c2e-9d7f-"
            + String.format("%012d", i % 1_000_000_000_000L)
            + "\"},\"spec\":{\"parentRefs\":[{\"group\":\"gateway.networking.k8s.io\",\"kind\":"
            + "\"Gateway\",\"name\":\"envoy-ai-gateway\"}],\"rules\":[{\"backendRefs\":[{\"name\":"
            + "\"openai\",\"weight\":1}],\"matches\":[{\"headers\":[{\"name\":\"x-ai-eg-model\","
            + "\"type\":\"Exact\",\"value\":\"gpt-4o-mini\"}]}]}],\"llmRequestCosts\":[{"
            + "\"metadataKey\":\"llm_total_token\",\"type\":\"TotalToken\"}]}}";
    return new WatchEvent(
        "dir:/etc/aigw/gateways",
        "aigateway.envoyproxy.io/v1beta1",
        "AIGatewayRoute",
        "team-a",
        name,
        "6f1c2d1e-8a4b-4c2e-9d7f-" + i,
        Long.toString(1000 + i),
        i,
        EventType.UPSERT,
        json);
  }

  private FileEventLog open(String name, FsyncPolicy fsync) throws IOException {
    return FileEventLog.open(FileEventLogOptions.of(root.resolve(name)).withFsync(fsync));
  }

  private void closedLoop(int appenders, int seconds) throws Exception {
    try (FileEventLog log = open("closed-" + appenders, FsyncPolicy.ALWAYS)) {
      AtomicLong counter = new AtomicLong();
      long[][] latencies = new long[appenders][];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      runThreads(appenders, t -> appendUntil(log, counter, deadline, null));
      long commitsBefore = log.groupCommits();
      long before = log.latestSeq();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      runThreads(
          appenders,
          t -> latencies[t] = appendUntil(log, counter, end, new long[(1 << 22) / appenders]));
      double elapsed = (System.nanoTime() - start) / 1e9;
      long appended = log.latestSeq() - before;
      long commits = log.groupCommits() - commitsBefore;
      long[] all =
          Arrays.stream(latencies)
              .flatMapToLong(Arrays::stream)
              .filter(l -> l > 0)
              .sorted()
              .toArray();
      System.out.printf(
          "closed loop, %3d appenders, fsync ALWAYS: %,9.0f appends/s, %,8.0f fsyncs/s, "
              + "%6.1f appends per fsync, latency p50 %5.2f ms p99 %5.2f ms%n",
          appenders,
          appended / elapsed,
          commits / elapsed,
          (double) appended / commits,
          percentile(all, 0.50),
          percentile(all, 0.99));
    }
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
  }

  /** Appends and waits, one at a time, until {@code deadline}; returns latencies in ns. */
  private static long[] appendUntil(
      FileEventLog log, AtomicLong counter, long deadline, long[] latencies) {
    int n = 0;
    while (System.nanoTime() < deadline) {
      long begin = System.nanoTime();
      log.append(route(counter.incrementAndGet())).join();
      if (latencies != null && n < latencies.length) {
        latencies[n++] = System.nanoTime() - begin;
      }
    }
    return latencies == null ? null : Arrays.copyOf(latencies, n);
  }

  private void pipelined(int window, int seconds) throws Exception {
    try (FileEventLog log = open("pipelined", FsyncPolicy.ALWAYS)) {
      pump(log, window, TimeUnit.SECONDS.toNanos(1), Long.MAX_VALUE);
      long commitsBefore = log.groupCommits();
      long before = log.latestSeq();
      long start = System.nanoTime();
      pump(log, window, TimeUnit.SECONDS.toNanos(seconds), Long.MAX_VALUE);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long appended = log.latestSeq() - before;
      long commits = log.groupCommits() - commitsBefore;
      System.out.printf(
          "pipelined, 1 producer, %d in flight, fsync ALWAYS: %,9.0f appends/s, %,8.0f fsyncs/s, "
              + "%6.1f appends per fsync%n",
          window, appended / elapsed, commits / elapsed, (double) appended / commits);
    }
  }

  /** Appends with up to {@code window} in flight for {@code nanos} or {@code count} appends. */
  private static void pump(FileEventLog log, int window, long nanos, long count) throws Exception {
    Semaphore inFlight = new Semaphore(window);
    long start = System.nanoTime();
    CompletableFuture<LogEntry> last = null;
    for (long i = 0; i < count && System.nanoTime() - start < nanos; i++) {
      inFlight.acquire();
      last = log.append(route(i));
      last.whenComplete((entry, error) -> inFlight.release());
    }
    inFlight.acquire(window);
    if (last != null) {
      last.join();
    }
  }

  private void readBack(int entries) throws Exception {
    long start = System.nanoTime();
    try (FileEventLog log = open("read", FsyncPolicy.NEVER)) {
      pump(log, 4096, Long.MAX_VALUE, entries);
    }
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    long bytes = directorySize(root.resolve("read"));
    System.out.printf(
        "wrote %,d entries (%,d MiB, fsync NEVER) in %.1f s: %,.0f appends/s%n",
        entries, bytes >> 20, writeSeconds, entries / writeSeconds);
    for (int pass = 1; pass <= 3; pass++) {
      try (FileEventLog log = open("read", FsyncPolicy.NEVER)) {
        long begin = System.nanoTime();
        long read = 0;
        long checksum = 0;
        for (long next = 1; next <= log.latestSeq(); ) {
          List<LogEntry> batch = log.read(next, READ_BATCH);
          read += batch.size();
          next += batch.size();
          checksum += batch.get(batch.size() - 1).seq();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        System.out.printf(
            "read pass %d (reopened, page cache warm): %,d entries in %.2f s: %,.0f entries/s, "
                + "%,.0f MiB/s (checksum %d)%n",
            pass, read, elapsed, read / elapsed, bytes / elapsed / (1 << 20), checksum);
      }
    }
    decodeOnly(entries);
  }

  private static void decodeOnly(int entries) {
    int distinct = 10_000;
    byte[][] encoded = new byte[distinct][];
    for (int i = 0; i < distinct; i++) {
      encoded[i] = LogEntryCodec.encode(new LogEntry(i + 1, java.time.Instant.EPOCH, route(i)));
    }
    for (int pass = 1; pass <= 3; pass++) {
      long begin = System.nanoTime();
      long checksum = 0;
      for (int i = 0; i < entries; i++) {
        checksum += LogEntryCodec.decode(encoded[i % distinct]).seq();
      }
      double elapsed = (System.nanoTime() - begin) / 1e9;
      System.out.printf(
          "decode only, pass %d: %,d entries in %.2f s: %,.0f entries/s, %.0f ns/entry (checksum %d)%n",
          pass, entries, elapsed, entries / elapsed, elapsed * 1e9 / entries, checksum);
    }
  }

  private interface ThreadBody {
    void run(int thread) throws Exception;
  }

  private static void runThreads(int count, ThreadBody body) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  body.run(thread);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      worker.start();
      threads.add(worker);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private void deleteRoot() throws IOException {
    if (args.containsKey("keep")) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.delete(file);
      }
    }
  }
}
