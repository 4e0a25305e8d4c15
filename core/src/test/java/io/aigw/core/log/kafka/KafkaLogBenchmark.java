package io.aigw.core.log.kafka;

import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.SampleEvents;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: durable appends and reads of the Kafka log against a local single-node broker in a
 * child JVM (BENCHMARKS.md, "Event log: the Kafka log"). Arguments: seconds per scenario (10).
 */
public final class KafkaLogBenchmark {

  private static final int EVENT_BYTES = 500;

  private KafkaLogBenchmark() {}

  public static void main(String[] argv) throws Exception {
    int seconds = argv.length > 0 ? Integer.parseInt(argv[0]) : 10;
    System.out.printf(
        "event: %d bytes encoded%n",
        LogEntryCodec.encodeEvent(SampleEvents.sized("bench", EVENT_BYTES)).length);
    try (KafkaBroker broker = KafkaBroker.start()) {
      Vertx vertx = Vertx.vertx();
      try {
        for (int appenders : new int[] {1, 16, 64}) {
          closedLoop(vertx, broker, appenders, seconds);
        }
        String topic = pipelined(vertx, broker, 1024, seconds);
        readBack(broker, topic);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static WatchEvent event(long i) {
    return SampleEvents.sized("bench-" + i, EVENT_BYTES);
  }

  private static void closedLoop(Vertx vertx, KafkaBroker broker, int appenders, int seconds)
      throws Exception {
    KafkaLogOptions options = KafkaLogOptions.of(broker.bootstrapServers(), "closed-" + appenders);
    try (KafkaEventLog log = KafkaEventLog.open(vertx, options)) {
      AtomicLong counter = new AtomicLong();
      run(log, appenders, counter, System.nanoTime() + TimeUnit.SECONDS.toNanos(1), null);
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      List<long[]> latencies = new ArrayList<>();
      long appended = run(log, appenders, counter, end, latencies);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(l -> l > 0).toArray();
      Arrays.sort(all);
      System.out.printf(
          "closed loop, %d appenders: %.0f appends/s, latency p50 %.2f ms, p99 %.2f ms%n",
          appenders,
          appended / elapsed,
          all[all.length / 2] / 1e6,
          all[(int) (all.length * 0.99)] / 1e6);
    }
  }

  /** Appenders that each append and wait, until {@code end}; how many appends they made. */
  private static long run(
      KafkaEventLog log, int appenders, AtomicLong counter, long end, List<long[]> latencies)
      throws Exception {
    List<Thread> threads = new ArrayList<>();
    AtomicLong done = new AtomicLong();
    for (int t = 0; t < appenders; t++) {
      long[] mine = new long[1 << 20];
      if (latencies != null) {
        latencies.add(mine);
      }
      Thread thread =
          new Thread(
              () -> {
                int n = 0;
                while (System.nanoTime() < end) {
                  long begin = System.nanoTime();
                  log.append(event(counter.incrementAndGet())).join();
                  if (n < mine.length) {
                    mine[n++] = System.nanoTime() - begin;
                  }
                  done.incrementAndGet();
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return done.get();
  }

  private static String pipelined(Vertx vertx, KafkaBroker broker, int window, int seconds)
      throws Exception {
    String topic = "pipelined-" + window;
    KafkaLogOptions options = KafkaLogOptions.of(broker.bootstrapServers(), topic);
    try (KafkaEventLog log = KafkaEventLog.open(vertx, options)) {
      Semaphore inFlight = new Semaphore(window);
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      long i = 0;
      CompletableFuture<LogEntry> last = null;
      while (System.nanoTime() < end) {
        inFlight.acquire();
        last = log.append(event(++i));
        last.whenComplete((entry, error) -> inFlight.release());
      }
      last.join();
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "pipelined, 1 producer, %d in flight: %.0f appends/s (%d entries)%n",
          window, i / elapsed, i);
    }
    return topic;
  }

  /** A new log on the topic: nothing in memory, every entry fetched from the broker. */
  private static void readBack(KafkaBroker broker, String topic) {
    try (KafkaEventLog log =
        KafkaEventLog.openReadOnly(KafkaLogOptions.of(broker.bootstrapServers(), topic))) {
      long latest = log.latestSeq();
      long start = System.nanoTime();
      long seq = 1;
      while (seq <= latest) {
        List<LogEntry> page = log.read(seq, 10_000);
        seq += page.size();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "read back %d entries in pages of 10,000: %.0f entries/s%n", latest, latest / elapsed);
    }
  }
}
