package io.aigw.core.log.file;

import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogClosedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded, durable {@link EventLog}: segment files of length- and CRC32C-framed records in one
 * directory, written by one thread with group commit, recovered on open. The format and the
 * reasoning behind it are in core/DESIGN.md.
 *
 * <p>Appends encode their event on the caller's thread and queue it; the writer thread commits
 * everything queued in one write and one fsync, then calls the listeners and completes the futures,
 * in seq order, on that thread. Whatever a caller chains on the future without an executor runs
 * there too, so it must be quick.
 */
public final class FileEventLog implements EventLog {

  private static final Logger LOG = LoggerFactory.getLogger(FileEventLog.class);

  private final FileEventLogOptions options;
  private final DataDirectoryLock lock;
  private final RecoveryReport recoveryReport;
  private final ConcurrentNavigableMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
  private final Object lifecycle = new Object();
  private final SegmentReader reader;
  private final GroupCommitWriter writer;
  private final Thread writerThread;
  private volatile long latestSeq;
  private volatile boolean closed;

  private FileEventLog(
      FileEventLogOptions options,
      DataDirectoryLock lock,
      SegmentRecovery.Recovered recovered,
      ActiveSegment active) {
    this.options = options;
    this.lock = lock;
    this.recoveryReport = recovered.report();
    for (Segment segment : recovered.segments()) {
      segments.put(segment.baseSeq(), segment);
    }
    this.reader = new SegmentReader(segments);
    this.latestSeq = recoveryReport.lastGoodSeq();
    this.writer =
        new GroupCommitWriter(queue, segments, listeners, options, active, this::publishLatest);
    this.writerThread = new Thread(writer, "aigw-log-writer");
    writerThread.setDaemon(true);
  }

  /** Opens (creating if needed) the log in {@code directory} with the default options. */
  public static FileEventLog open(Path directory) throws IOException {
    return open(FileEventLogOptions.of(directory));
  }

  /**
   * Opens the log: takes the directory lock, recovers the tail (see {@link #recoveryReport()}) and
   * starts the writer. Fails when another log holds the directory.
   */
  public static FileEventLog open(FileEventLogOptions options) throws IOException {
    Files.createDirectories(options.directory());
    DataDirectoryLock lock = DataDirectoryLock.acquire(options.directory());
    FileEventLog log;
    try {
      SegmentRecovery.Recovered recovered =
          SegmentRecovery.recover(options.directory(), options.fsync());
      ActiveSegment active =
          ActiveSegment.reopen(recovered.last(), recovered.validEnd(), recovered.recordsInLast());
      log = new FileEventLog(options, lock, recovered, active);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    log.report();
    log.writerThread.start();
    return log;
  }

  /**
   * A read-only view of the log in {@code directory} as it is now: no lock, no recovery writes, no
   * appends. It sees the entries up to the last valid record at the time of the call, so it can
   * read a log another process is appending to (for {@code aigw replay}).
   */
  public static ReadOnlyFileEventLog openReadOnly(Path directory) throws IOException {
    return ReadOnlyFileEventLog.open(directory);
  }

  /** What recovery found and dropped when this log was opened. */
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  @Override
  public Optional<String> repairedAtOpen() {
    RecoveryReport report = recoveryReport;
    return report.droppedAnything()
        ? Optional.of(
            "the log was cut back to seq "
                + report.lastGoodSeq()
                + " at start ("
                + report.droppedBytes()
                + " bytes): "
                + report.reason())
        : Optional.empty();
  }

  /** How many group commits (write + fsync) the writer has made since open. */
  public long groupCommits() {
    return writer.groupCommits();
  }

  /** The segment whose range covers {@code seq}; for tests of the index. */
  Segment segmentHolding(long seq) {
    return segments.floorEntry(seq).getValue();
  }

  @Override
  public CompletableFuture<LogEntry> append(LogEvent event) {
    Objects.requireNonNull(event, "event");
    byte[] encoded;
    try {
      encoded = LogEntryCodec.encodeEvent(event);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (LogEntryCodec.entrySize(encoded) > SegmentFormat.MAX_PAYLOAD_BYTES) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "a log entry is limited to " + SegmentFormat.MAX_PAYLOAD_BYTES + " bytes"));
    }
    CompletableFuture<LogEntry> future = new CompletableFuture<>();
    synchronized (lifecycle) {
      if (closed) {
        return CompletableFuture.failedFuture(new EventLogClosedException("the log is closed"));
      }
      Exception failure = writer.failure();
      if (failure != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the log failed to write", failure));
      }
      queue.add(new PendingAppend(event, encoded, future));
    }
    return future;
  }

  @Override
  public List<LogEntry> read(long fromSeq, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    if (closed) {
      throw new EventLogClosedException("the log is closed");
    }
    long from = Math.max(1, fromSeq);
    long latest = latestSeq;
    if (limit == 0 || from > latest) {
      return List.of();
    }
    long upTo = Math.min(latest, from - 1 + limit);
    return reader.read(from, upTo);
  }

  @Override
  public long latestSeq() {
    return latestSeq;
  }

  @Override
  public void onCommit(CommitListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Commits what was appended before, stops the writer, closes the files and releases the directory
   * lock. Appends after this fail with {@link EventLogClosedException}.
   */
  @Override
  public void close() {
    if (Thread.currentThread() == writerThread) {
      throw new IllegalStateException("close the log from outside its commit listeners");
    }
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(PendingAppend.CLOSE);
    }
    joinWriter();
    try {
      reader.close();
      lock.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the log failed", e);
    }
  }

  private void publishLatest(long seq) {
    latestSeq = seq;
  }

  private void report() {
    RecoveryReport report = recoveryReport;
    if (report.droppedAnything()) {
      LOG.atWarn()
          .addKeyValue("directory", options.directory())
          .addKeyValue("lastGoodSeq", report.lastGoodSeq())
          .addKeyValue("droppedBytes", report.droppedBytes())
          .addKeyValue("reason", report.reason())
          .log("log tail was torn or corrupt; cut it back to the last good record");
    } else {
      LOG.atInfo()
          .addKeyValue("directory", options.directory())
          .addKeyValue("lastGoodSeq", report.lastGoodSeq())
          .log("log opened");
    }
  }

  private void joinWriter() {
    boolean interrupted = false;
    while (writerThread.isAlive()) {
      try {
        writerThread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
