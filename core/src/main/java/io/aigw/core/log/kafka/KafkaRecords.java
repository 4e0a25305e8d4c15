package io.aigw.core.log.kafka;

import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How an entry is kept in a Kafka record: the value is the encoded event, the {@value #RECORDED_AT}
 * header the instant it was recorded (seconds and nanos, as the file log keeps it), and the seq is
 * the record's offset plus one. A single partition without transactions or compaction has gap-free
 * offsets, so the seqs are gap-free too.
 */
final class KafkaRecords {

  static final String RECORDED_AT = "aigw-recorded-at";

  /** Who appended the entry, when the log has an owner ({@link KafkaLogOptions#owner}). */
  static final String OWNER = "aigw-owner";

  /** The largest encoded event, as in the file log. */
  static final int MAX_EVENT_BYTES = 64 * 1024 * 1024;

  private KafkaRecords() {}

  static long seqOf(long offset) {
    return offset + 1;
  }

  static long offsetOf(long seq) {
    return seq - 1;
  }

  static byte[] recordedAt(Instant at) {
    return ByteBuffer.allocate(12).putLong(at.getEpochSecond()).putInt(at.getNano()).array();
  }

  static byte[] value(LogEvent event) {
    return LogEntryCodec.encodeEvent(event);
  }

  /**
   * The entry a record holds, which must belong to {@code owner} when the record names one.
   *
   * @throws IllegalStateException when the record was not written by a {@link KafkaEventLog}, or by
   *     one of another owner
   */
  static LogEntry entry(ConsumerRecord<byte[], byte[]> record, Optional<String> owner) {
    Header writer = record.headers().lastHeader(OWNER);
    if (owner.isPresent() && writer != null) {
      String theirs = new String(writer.value(), StandardCharsets.UTF_8);
      if (!theirs.equals(owner.get())) {
        throw new IllegalStateException(
            "record at offset "
                + record.offset()
                + " of "
                + record.topic()
                + " belongs to another aigw (log owner "
                + theirs
                + ", this one's is "
                + owner.get()
                + "): two controllers, as of two clusters, are writing one topic; give each its"
                + " own (--kafka-topic)");
      }
    }
    return entry(record);
  }

  /**
   * The entry a record holds.
   *
   * @throws IllegalStateException when the record was not written by a {@link KafkaEventLog}
   */
  static LogEntry entry(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(RECORDED_AT);
    if (header == null || header.value() == null || header.value().length != 12) {
      throw new IllegalStateException(
          "record at offset "
              + record.offset()
              + " of "
              + record.topic()
              + " is not an aigw entry");
    }
    ByteBuffer at = ByteBuffer.wrap(header.value());
    Instant recordedAt = Instant.ofEpochSecond(at.getLong(), at.getInt());
    return new LogEntry(
        seqOf(record.offset()), recordedAt, LogEntryCodec.decodeEvent(record.value()));
  }
}
