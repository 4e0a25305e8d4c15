package io.aigw.core.log.file;

import io.aigw.core.event.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * Reads committed entries out of a set of segments: finds the segment by base seq, jumps to the
 * nearest index point, walks frames checking seq continuity and (for the entries it returns) the
 * CRC, and extends the segment's index as it passes the frontier. Thread-safe: reads use positional
 * I/O only.
 */
final class SegmentReader {

  private final ConcurrentNavigableMap<Long, Segment> segments;

  SegmentReader(ConcurrentNavigableMap<Long, Segment> segments) {
    this.segments = segments;
  }

  /** Entries {@code from..upTo}, all of which the caller knows to be committed. */
  List<LogEntry> read(long from, long upTo) {
    try {
      return readRange(from, upTo);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the log from seq " + from + " failed", e);
    }
  }

  void close() throws IOException {
    for (Segment segment : segments.values()) {
      segment.close();
    }
  }

  private List<LogEntry> readRange(long from, long upTo) throws IOException {
    List<LogEntry> entries = new ArrayList<>((int) Math.min(upTo - from + 1, 16_384));
    long next = from;
    Map.Entry<Long, Segment> current = segments.floorEntry(next);
    while (next <= upTo) {
      if (current == null || current.getKey() > next) {
        throw new LogCorruptedException("no segment holds seq " + next);
      }
      next = readSegment(current.getValue(), next, upTo, entries);
      current = segments.higherEntry(current.getKey());
    }
    return List.copyOf(entries);
  }

  /** Adds the entries from {@code next} on that this segment holds; returns the next seq. */
  private static long readSegment(Segment segment, long next, long upTo, List<LogEntry> into)
      throws IOException {
    SparseIndex.Position start = segment.index().locate(next);
    FrameCursor cursor = new FrameCursor(segment.readChannel(), start.offset());
    long expected = start.seq();
    long wanted = next;
    while (wanted <= upTo) {
      FrameCursor.Step step = cursor.next();
      if (step == FrameCursor.Step.END) {
        return wanted;
      }
      if (step != FrameCursor.Step.FRAME) {
        throw corrupt(segment, cursor, step.toString().toLowerCase(Locale.ROOT) + " record");
      }
      long seq = cursor.seq();
      if (seq != expected) {
        throw corrupt(segment, cursor, "seq " + seq + " where " + expected + " was expected");
      }
      segment.index().observe(cursor.offset(), seq, cursor.frameBytes());
      if (seq >= wanted) {
        if (!cursor.crcValid()) {
          throw corrupt(segment, cursor, "CRC mismatch");
        }
        into.add(cursor.decode());
        wanted++;
      }
      expected++;
    }
    return wanted;
  }

  private static LogCorruptedException corrupt(Segment segment, FrameCursor cursor, String what) {
    return new LogCorruptedException(
        segment + " offset " + cursor.offset() + ": " + what + " inside the committed log");
  }
}
