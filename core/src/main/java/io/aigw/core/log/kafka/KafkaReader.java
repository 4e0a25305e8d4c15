package io.aigw.core.log.kafka;

import io.aigw.core.event.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads ranges of the log's partition for {@code EventLog.read}; one read at a time. */
final class KafkaReader implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final Duration timeout;
  private final Optional<String> owner;

  KafkaReader(
      Consumer<byte[], byte[]> consumer,
      TopicPartition partition,
      Duration timeout,
      Optional<String> owner) {
    this.consumer = consumer;
    this.partition = partition;
    this.timeout = timeout;
    this.owner = owner;
    consumer.assign(List.of(partition));
  }

  /** The seq of the first entry the partition holds (1 for a whole log, or an empty one). */
  synchronized long firstSeq() {
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(List.of(partition), timeout);
    return KafkaRecords.seqOf(starts.get(partition));
  }

  /** The seq of the last entry the partition holds, 0 when it holds none. */
  synchronized long lastSeq() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), timeout);
    return ends.get(partition);
  }

  /** Up to {@code limit} entries from {@code fromSeq}, none after {@code lastSeq}. */
  synchronized List<LogEntry> read(long fromSeq, int limit, long lastSeq) {
    long from = Math.max(fromSeq, 1);
    List<LogEntry> entries = new ArrayList<>(Math.min(limit, 1024));
    if (limit == 0 || from > lastSeq) {
      return entries;
    }
    consumer.seek(partition, KafkaRecords.offsetOf(from));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(POLL).records(partition);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        LogEntry entry = KafkaRecords.entry(record, owner);
        if (entries.isEmpty() && entry.seq() != from) {
          throw new IllegalStateException(
              "the Kafka log has no seq " + from + " any more: its next entry is " + entry.seq());
        }
        if (entry.seq() <= lastSeq) {
          entries.add(entry);
        }
        if (entries.size() == limit || entry.seq() >= lastSeq) {
          return entries;
        }
      }
      if (records.isEmpty() && System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "reading the Kafka log from seq " + from + " took longer than " + timeout);
      }
    }
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
