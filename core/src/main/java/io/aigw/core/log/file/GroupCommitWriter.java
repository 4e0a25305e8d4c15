package io.aigw.core.log.file;

import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog.CommitListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log. It takes every append queued since its last commit, gives
 * them consecutive seqs, frames them into one buffer, writes it, forces it once (the group commit),
 * and only then publishes the new latest seq, calls the listeners and completes the futures, all in
 * seq order. An I/O error fails the batch and every later append: after a failed fsync the page
 * cache can no longer be trusted, and reopening the log recovers from the disk.
 */
final class GroupCommitWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_BATCH = 4096;
  private static final int BUFFER_BYTES = 1024 * 1024;

  private final BlockingQueue<PendingAppend> queue;
  private final ConcurrentNavigableMap<Long, Segment> segments;
  private final List<CommitListener> listeners;
  private final FileEventLogOptions options;
  private final LongConsumer publishLatest;
  private final Clock clock;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
  private final List<PendingAppend> batch = new ArrayList<>();
  private ActiveSegment active;
  private long nextSeq;
  private long groupCommits;
  private volatile Exception failure;

  GroupCommitWriter(
      BlockingQueue<PendingAppend> queue,
      ConcurrentNavigableMap<Long, Segment> segments,
      List<CommitListener> listeners,
      FileEventLogOptions options,
      ActiveSegment active,
      LongConsumer publishLatest) {
    this.queue = queue;
    this.segments = segments;
    this.listeners = listeners;
    this.options = options;
    this.clock = options.clock();
    this.active = active;
    this.publishLatest = publishLatest;
    this.nextSeq = active.segment().baseSeq() + active.records();
  }

  /** The error that stopped the writer, if any. */
  Exception failure() {
    return failure;
  }

  synchronized long groupCommits() {
    return groupCommits;
  }

  @Override
  public void run() {
    boolean closing = false;
    while (!closing) {
      PendingAppend first = takeUninterruptibly();
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      if (batch.get(batch.size() - 1) == PendingAppend.CLOSE) {
        batch.remove(batch.size() - 1);
        closing = true;
      }
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
    }
    try {
      active.close();
    } catch (IOException e) {
      LOG.atWarn().setCause(e).log("closing the active segment failed");
    }
  }

  private void commit(List<PendingAppend> appends) {
    if (failure != null) {
      failAll(appends, failure);
      return;
    }
    LogEntry[] entries = new LogEntry[appends.size()];
    try {
      for (int i = 0; i < entries.length; i++) {
        PendingAppend append = appends.get(i);
        Instant recordedAt = clock.instant();
        writeFrame(nextSeq + i, recordedAt, append.encodedEvent());
        entries[i] = new LogEntry(nextSeq + i, recordedAt, append.event());
      }
      flush();
      if (options.fsync() == FsyncPolicy.ALWAYS) {
        active.force();
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
      LOG.atError().addKeyValue("seq", nextSeq).setCause(e).log("log write failed; log stopped");
      failAll(appends, e);
      return;
    }
    nextSeq += entries.length;
    synchronized (this) {
      groupCommits++;
    }
    publishLatest.accept(nextSeq - 1);
    for (LogEntry entry : entries) {
      notifyListeners(entry);
    }
    for (int i = 0; i < entries.length; i++) {
      appends.get(i).future().complete(entries[i]);
    }
  }

  private void writeFrame(long seq, Instant recordedAt, byte[] encodedEvent) throws IOException {
    int payload = LogEntryCodec.entrySize(encodedEvent);
    int frame = SegmentFormat.FRAME_HEADER_BYTES + payload;
    if (active.records() > 0
        && active.size() + buffer.position() + frame > options.segmentBytes()) {
      roll(seq);
    }
    if (buffer.remaining() < frame) {
      flush();
    }
    ByteBuffer target = frame <= buffer.capacity() ? buffer : ByteBuffer.allocate(frame);
    long offset = active.size() + target.position();
    int start = target.position();
    target.position(start + SegmentFormat.FRAME_HEADER_BYTES);
    LogEntryCodec.writeEntry(target, seq, recordedAt, encodedEvent);
    crc.reset();
    crc.update(
        target
            .duplicate()
            .limit(target.position())
            .position(start + SegmentFormat.FRAME_HEADER_BYTES));
    target.putInt(start, payload).putInt(start + 4, (int) crc.getValue());
    if (target != buffer) {
      target.flip();
      active.write(target);
    }
    active.countRecord();
    active.segment().index().observe(offset, seq, frame);
  }

  private void roll(long baseSeq) throws IOException {
    flush();
    if (options.fsync() == FsyncPolicy.ALWAYS) {
      active.force();
    }
    active.close();
    Path directory = options.directory();
    active = ActiveSegment.create(directory, baseSeq, options.fsync());
    segments.put(baseSeq, active.segment());
    LOG.atDebug().addKeyValue("segment", active.segment()).log("log segment rolled");
  }

  private void flush() throws IOException {
    if (buffer.position() > 0) {
      buffer.flip();
      active.write(buffer);
      buffer.clear();
    }
  }

  private void notifyListeners(LogEntry entry) {
    for (CommitListener listener : listeners) {
      try {
        listener.committed(entry);
      } catch (RuntimeException e) {
        // A failing listener must not undo a commit nor starve the listeners after it.
        LOG.atError().addKeyValue("seq", entry.seq()).setCause(e).log("commit listener failed");
      }
    }
  }

  private static void failAll(List<PendingAppend> appends, Exception cause) {
    IllegalStateException error = new IllegalStateException("the log failed to write", cause);
    for (PendingAppend append : appends) {
      append.future().completeExceptionally(error);
    }
  }

  private PendingAppend takeUninterruptibly() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
