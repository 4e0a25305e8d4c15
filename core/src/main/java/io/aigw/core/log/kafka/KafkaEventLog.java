package io.aigw.core.log.kafka;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogClosedException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log in a Kafka topic, for a controller that keeps its log in a Kafka cluster instead of
 * on a volume. One partition holds the entries in order; an entry's seq is its offset plus one
 * ({@link KafkaRecords}). Appends go through the Vert.x Kafka producer (idempotent, {@code
 * acks=all}); an append completes once the log's {@link KafkaTail} has read the entry back, after
 * the listeners, so that the order the listeners see, the seqs and the acknowledgements agree, as
 * in the file log.
 *
 * <p>One process appends to a topic: watchers of two processes writing into one topic would
 * interleave their views of the cluster. Give each controller replica its own topic.
 */
public final class KafkaEventLog implements EventLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);

  /** How many bytes of the newest entries reads are served from memory. */
  private static final long RECENT_BYTES = 32L * 1024 * 1024;

  private final KafkaLogOptions options;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaReader reader;
  private final RecentEntries recent;
  private final KafkaTail tail;
  private final Set<CompletableFuture<LogEntry>> inFlight = new HashSet<>();
  private boolean closed;
  private boolean shut;

  private KafkaEventLog(
      KafkaLogOptions options,
      KafkaProducer<byte[], byte[]> producer,
      KafkaReader reader,
      RecentEntries recent,
      KafkaTail tail) {
    this.options = options;
    this.producer = producer;
    this.reader = reader;
    this.recent = recent;
    this.tail = tail;
  }

  /**
   * Opens the log in {@code options.topic()}, creating the topic when missing. Blocks until the
   * cluster answered: call it off the event loop.
   *
   * @throws IllegalStateException when the cluster cannot be reached in time or the topic cannot
   *     hold a log (more than one partition, compaction)
   */
  public static KafkaEventLog open(Vertx vertx, KafkaLogOptions options) {
    KafkaTopic.ensure(options);
    TopicPartition partition = new TopicPartition(options.topic(), 0);
    KafkaReader reader = new KafkaReader(consumer(options), partition, options.timeout());
    long last;
    try {
      last = reader.lastSeq();
    } catch (RuntimeException e) {
      reader.close();
      throw new IllegalStateException(
          "Kafka topic " + options.topic() + " cannot be read: " + e.getMessage(), e);
    }
    RecentEntries recent = new RecentEntries(RECENT_BYTES);
    KafkaTail tail = new KafkaTail(consumer(options), partition, last, recent);
    KafkaProducer<byte[], byte[]> producer = KafkaProducer.create(vertx, producerConfig(options));
    LOG.atInfo()
        .addKeyValue("bootstrap", options.bootstrapServers())
        .addKeyValue("topic", options.topic())
        .addKeyValue("latestSeq", last)
        .log("Kafka event log open");
    return new KafkaEventLog(options, producer, reader, recent, tail);
  }

  private static Map<String, String> producerConfig(KafkaLogOptions options) {
    Map<String, String> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // durable once every in-sync replica has it; retries neither duplicate nor reorder
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    config.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Integer.toString(KafkaRecords.MAX_EVENT_BYTES + 1024));
    return config;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaLogOptions options) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.timeout().toMillis());
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public CompletableFuture<LogEntry> append(LogEvent event) {
    Objects.requireNonNull(event, "event");
    CompletableFuture<LogEntry> done = new CompletableFuture<>();
    synchronized (inFlight) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new EventLogClosedException("the Kafka log " + options.topic() + " is closed"));
      }
      // a log that cannot be followed takes nothing more: its seqs could not be acknowledged
      var failure = tail.failure();
      if (failure.isPresent()) {
        return CompletableFuture.failedFuture(failure.get());
      }
      inFlight.add(done);
    }
    done.whenComplete(
        (entry, error) -> {
          synchronized (inFlight) {
            inFlight.remove(done);
          }
        });
    Instant at = options.clock().instant();
    KafkaProducerRecord<byte[], byte[]> record =
        KafkaProducerRecord.create(
            options.topic(), null, KafkaRecords.value(event), at.toEpochMilli(), 0);
    record.addHeader(KafkaRecords.RECORDED_AT, Buffer.buffer(KafkaRecords.recordedAt(at)));
    producer
        .send(record)
        .onComplete(
            sent -> {
              if (sent.failed()) {
                done.completeExceptionally(sent.cause());
              } else {
                long seq = KafkaRecords.seqOf(sent.result().getOffset());
                tail.whenDelivered(new LogEntry(seq, at, event), done);
              }
            });
    return done;
  }

  @Override
  public List<LogEntry> read(long fromSeq, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    long last = latestSeq();
    List<LogEntry> kept = recent.read(Math.max(fromSeq, 1), limit, last);
    return kept != null ? kept : reader.read(fromSeq, limit, last);
  }

  @Override
  public long latestSeq() {
    return tail.latestSeq();
  }

  @Override
  public void onCommit(CommitListener listener) {
    tail.onCommit(Objects.requireNonNull(listener, "listener"));
  }

  /** Waits for what was appended before it to commit, then lets go of the cluster. */
  @Override
  public void close() {
    List<CompletableFuture<LogEntry>> pending;
    synchronized (inFlight) {
      if (shut) {
        return;
      }
      shut = true;
      closed = true;
      pending = new ArrayList<>(inFlight);
    }
    long timeout = options.timeout().toMillis();
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .exceptionally(error -> null)
          .get(timeout, TimeUnit.MILLISECONDS);
      producer
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.atWarn()
          .log("the Kafka log closed before its appends were acknowledged: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      tail.close();
      reader.close();
    }
  }
}
