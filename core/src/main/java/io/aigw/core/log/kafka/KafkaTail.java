package io.aigw.core.log.kafka;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog.CommitListener;
import io.aigw.core.log.EventLogClosedException;
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
 * listeners, then to the append waiting for it. An entry is committed once the tail has read it:
 * the consumer sees only what every in-sync replica has, so it is durable, and whoever appended it,
 * this process or another, its listeners see it once.
 *
 * <p>{@code latestSeq} moves before the listeners run, as in the file log, so a listener that
 * registers and then reads up to {@code latestSeq} misses nothing; an append completes only after
 * the listeners ran ({@code acknowledged}). Once the tail stops, for whatever reason, every append
 * waiting for it and every later one fails instead of hanging.
 */
final class KafkaTail implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTail.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final RecentEntries recent;
  private final Optional<String> owner;
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final Map<Long, CompletableFuture<LogEntry>> waiting = new HashMap<>();
  private final Thread thread;
  private long delivered;
  private long acknowledged;
  private volatile RuntimeException failure;
  private volatile boolean stopping;

  /** Starts following {@code partition} after seq {@code delivered}. */
  KafkaTail(
      Consumer<byte[], byte[]> consumer,
      TopicPartition partition,
      long delivered,
      RecentEntries recent,
      Optional<String> owner) {
    this.consumer = consumer;
    this.owner = owner;
    this.delivered = delivered;
    this.acknowledged = delivered;
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
    return Optional.ofNullable(failure);
  }

  void onCommit(CommitListener listener) {
    listeners.add(listener);
  }

  /** Completes {@code future} with {@code entry} once the listeners have seen it. */
  void whenDelivered(LogEntry entry, CompletableFuture<LogEntry> future) {
    boolean now;
    RuntimeException stopped;
    synchronized (lock) {
      now = acknowledged >= entry.seq();
      stopped = failure;
      if (!now && stopped == null) {
        waiting.put(entry.seq(), future);
        return;
      }
    }
    // outside the lock: what the future runs next may take other locks
    if (now) {
      future.complete(entry);
    } else {
      future.completeExceptionally(stopped);
    }
  }

  private void run() {
    RuntimeException end = new EventLogClosedException("the Kafka log was closed");
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          LogEntry entry = KafkaRecords.entry(record, owner);
          if (entry.seq() != latestSeq() + 1) {
            throw new IllegalStateException(
                "the Kafka log went from seq "
                    + latestSeq()
                    + " to "
                    + entry.seq()
                    + ": entries were lost (retention, an unclean leader election, a recreated"
                    + " topic)");
          }
          recent.add(entry, record.serializedValueSize());
          deliver(entry);
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("the Kafka log stopped after seq {}", latestSeq());
      end = e;
    } catch (Error e) {
      LOG.atError().setCause(e).log("the Kafka log stopped after seq {}", latestSeq());
      end = new IllegalStateException("the Kafka log stopped: " + e, e);
      throw e;
    } finally {
      stop(end);
      consumer.close();
    }
  }

  private void deliver(LogEntry entry) {
    synchronized (lock) {
      delivered = entry.seq();
    }
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
      acknowledged = entry.seq();
      appended = waiting.remove(entry.seq());
    }
    if (appended != null) {
      appended.complete(entry);
    }
  }

  /** The tail follows no more: every append waiting fails with {@code why}, and every later one. */
  private void stop(RuntimeException why) {
    List<CompletableFuture<LogEntry>> failed;
    synchronized (lock) {
      failure = why;
      failed = new ArrayList<>(waiting.values());
      waiting.clear();
    }
    failed.forEach(future -> future.completeExceptionally(why));
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
