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
import java.util.Optional;
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
 * <p>One process at a time appends to a topic: watchers of two processes writing into one topic
 * would interleave their views of the cluster. The controller's replicas share one topic, and only
 * the Lease leader appends; the others only follow it.
 */
public final class KafkaEventLog implements EventLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);

  /** How many bytes of the newest entries reads are served from memory. */
  private static final long RECENT_BYTES = 32L * 1024 * 1024;

  private final KafkaLogOptions options;
  private final Optional<KafkaProducer<byte[], byte[]>> producer;
  private final KafkaReader reader;
  private final RecentEntries recent;
  private final KafkaTail tail;
  private final Set<CompletableFuture<LogEntry>> inFlight = new HashSet<>();
  private boolean closed;
  private volatile RuntimeException sendFailure;

  private KafkaEventLog(
      KafkaLogOptions options,
      Optional<KafkaProducer<byte[], byte[]>> producer,
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
    KafkaProducer<byte[], byte[]> producer = KafkaProducer.create(vertx, producerConfig(options));
    // failed sends fail their appends; this only keeps them from being logged twice
    producer.exceptionHandler(
        e -> LOG.atDebug().log("Kafka producer of {}: {}", options.topic(), e.toString()));
    return open(options, Optional.of(producer));
  }

  /**
   * Opens the log in {@code options.topic()} to read it ({@code aigw replay}): the topic must
   * exist, nothing is created, and appends fail. Blocks until the cluster answered.
   *
   * @throws IllegalStateException when the cluster cannot be reached in time, the topic does not
   *     exist or cannot hold a log
   */
  public static KafkaEventLog openReadOnly(KafkaLogOptions options) {
    KafkaTopic.check(options);
    return open(options, Optional.empty());
  }

  private static KafkaEventLog open(
      KafkaLogOptions options, Optional<KafkaProducer<byte[], byte[]>> producer) {
    TopicPartition partition = new TopicPartition(options.topic(), 0);
    KafkaReader reader =
        new KafkaReader(consumer(options), partition, options.timeout(), options.owner());
    long last;
    try {
      long first = reader.firstSeq();
      if (first != 1) {
        throw new IllegalStateException("it has lost its first entries: it starts at seq " + first);
      }
      last = reader.lastSeq();
    } catch (RuntimeException e) {
      reader.close();
      producer.ifPresent(KafkaProducer::close);
      throw new IllegalStateException(
          "Kafka topic " + options.topic() + " cannot be read: " + e.getMessage(), e);
    }
    RecentEntries recent = new RecentEntries(RECENT_BYTES);
    KafkaTail tail = new KafkaTail(consumer(options), partition, last, recent, options.owner());
    LOG.atInfo()
        .addKeyValue("bootstrap", options.bootstrapServers())
        .addKeyValue("topic", options.topic())
        .addKeyValue("latestSeq", last)
        .log(producer.isPresent() ? "Kafka event log open" : "Kafka event log open to read");
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
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(KafkaTopic.MAX_MESSAGE_BYTES));
    // a record larger than the buffer is refused whatever the request size allows
    config.put(
        ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2L * KafkaTopic.MAX_MESSAGE_BYTES));
    // an append fails within the log's timeout rather than the client's two minutes
    long timeout = options.timeout().toMillis();
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout / 2));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
    return config;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaLogOptions options) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a position the partition no longer holds is an error, never a silent jump to its start
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.timeout().toMillis());
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) options.timeout().toMillis() / 2);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public CompletableFuture<LogEntry> append(LogEvent event) {
    Objects.requireNonNull(event, "event");
    CompletableFuture<LogEntry> done = new CompletableFuture<>();
    // a log that cannot be followed, or lost a send, takes nothing more: a later entry would
    // be acknowledged while an earlier one is missing
    RuntimeException failure = sendFailure;
    if (failure == null) {
      failure = tail.failure().orElse(null);
    }
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    synchronized (inFlight) {
      if (closed || producer.isEmpty()) {
        return CompletableFuture.failedFuture(
            new EventLogClosedException(
                "the Kafka log "
                    + options.topic()
                    + (producer.isEmpty() ? " is open to read only" : " is closed")));
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
    options.owner().ifPresent(owner -> record.addHeader(KafkaRecords.OWNER, Buffer.buffer(owner)));
    producer
        .get()
        .send(record)
        .onComplete(
            sent -> {
              if (sent.failed()) {
                sendFailed(sent.cause());
                done.completeExceptionally(sent.cause());
              } else {
                long seq = KafkaRecords.seqOf(sent.result().getOffset());
                tail.whenDelivered(new LogEntry(seq, at, event), done);
              }
            });
    return done;
  }

  private void sendFailed(Throwable cause) {
    if (sendFailure == null) {
      LOG.atError()
          .log("the Kafka log {} takes no more appends: {}", options.topic(), cause.toString());
      sendFailure =
          new IllegalStateException("an earlier append to the Kafka log failed: " + cause, cause);
    }
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

  /**
   * The seq of the last entry the topic holds now, asked of the brokers: entries another process
   * appended may not have reached {@link #latestSeq} yet. Blocks: call it off the event loop.
   */
  public long endSeq() {
    return reader.lastSeq();
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
      if (closed) {
        return;
      }
      closed = true;
      pending = new ArrayList<>(inFlight);
    }
    long timeout = options.timeout().toMillis();
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .exceptionally(error -> null)
          .get(timeout, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.atWarn()
          .log("the Kafka log closed before its appends were acknowledged: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // the producer stops retrying within the timeout; what it still held fails its appends,
      // and the tail fails those still waiting for their entry
      producer.ifPresent(p -> closeProducer(p, timeout));
      tail.close();
      reader.close();
    }
  }

  private static void closeProducer(KafkaProducer<byte[], byte[]> producer, long timeout) {
    try {
      producer
          .close(timeout)
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.atWarn().log("the Kafka producer did not close cleanly: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
