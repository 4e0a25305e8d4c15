package io.aigw.core.log.kafka;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog.CommitListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log's partition on its own thread and hands every entry, in seq order, to the
 * listeners, then to the appends waiting for it. An entry is committed once the tail has read it:
 * the consumer sees only what every in-sync replica has, so it is durable, and whoever appended it,
 * this process or another, its listeners see it once.
 */
final class KafkaTail implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTail.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final Map<Long, CompletableFuture<LogEntry>> waiting = new HashMap<>();
  private final RecentEntries recent;
  private final Thread thread;
  private long delivered;
  private RuntimeException failure;
  private volatile boolean stopping;

  /** Starts following {@code partition} after seq {@code delivered}. */
  KafkaTail(
      Consumer<byte[], byte[]> consumer,
      TopicPartition partition,
      long delivered,
      RecentEntries recent) {
    this.consumer = consumer;
    this.delivered = delivered;
    this.recent = recent;
    consumer.assign(List.of(partition));
    consumer.seek(partition, KafkaRecords.offsetOf(delivered + 1));
    thread = new Thread(this::run, "aigw-kafka-log-" + partition);
    thread.setDaemon(true);
    thread.start();
  }

  long latestSeq() {
    synchronized (lock) {
      return delivered;
    }
  }

  /** Why the tail stopped following the log, if it did. */
  Optional<RuntimeException> failure() {
    synchronized (lock) {
      return Optional.ofNullable(failure);
    }
  }

  void onCommit(CommitListener listener) {
    listeners.add(listener);
  }

  /** Completes {@code future} with {@code entry} once the tail has delivered it. */
  void whenDelivered(LogEntry entry, CompletableFuture<LogEntry> future) {
    synchronized (lock) {
      if (failure != null) {
        future.completeExceptionally(failure);
        return;
      }
      if (delivered < entry.seq()) {
        waiting.put(entry.seq(), future);
        return;
      }
    }
    future.complete(entry);
  }

  private void run() {
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          LogEntry entry = KafkaRecords.entry(record);
          recent.add(entry, record.serializedValueSize());
          deliver(entry);
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      consumer.close();
    }
  }

  private void deliver(LogEntry entry) {
    for (CommitListener listener : listeners) {
      try {
        listener.committed(entry);
      } catch (RuntimeException e) {
        // a failing listener must not hold back the entries, nor the listeners after it
        LOG.atError().setCause(e).log("a log listener failed on seq {}", entry.seq());
      }
    }
    CompletableFuture<LogEntry> appended;
    synchronized (lock) {
      delivered = entry.seq();
      appended = waiting.remove(entry.seq());
      lock.notifyAll();
    }
    if (appended != null) {
      appended.complete(entry);
    }
  }

  /**
   * The log cannot be followed any more (a record that is not an entry, an unrecoverable consumer
   * error): every append waiting fails, and so does every later one, instead of hanging.
   */
  private void fail(RuntimeException e) {
    LOG.atError().setCause(e).log("the Kafka log stopped at seq {}", latestSeq());
    List<CompletableFuture<LogEntry>> failed;
    synchronized (lock) {
      failure = e;
      failed = new ArrayList<>(waiting.values());
      waiting.clear();
      lock.notifyAll();
    }
    failed.forEach(future -> future.completeExceptionally(e));
  }

  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
