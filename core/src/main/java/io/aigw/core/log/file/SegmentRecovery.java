package io.aigw.core.log.file;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Brings a log directory back to a state the writer can append to. Only the tail can be torn (a
 * segment is forced before the next one is created), so recovery scans the last segment frame by
 * frame and cuts it at the first frame that is incomplete, fails its CRC or breaks the seq
 * sequence; the bytes cut are kept in a file beside it first, and the report says how many intact
 * records they hold, which a torn write cannot explain. A last segment left with no records is
 * removed and the one before it scanned in turn, which covers a crash right after a roll. Earlier
 * segments only have their headers checked; their frames are checked when read.
 *
 * <p>{@link #inspect} does the same without changing anything, for a read-only view: it only works
 * out where the valid data ends.
 */
final class SegmentRecovery {

  private final Path directory;
  private final FsyncPolicy fsync;
  private final boolean repair;
  private final List<String> problems = new ArrayList<>();
  private long droppedBytes;

  private SegmentRecovery(Path directory, FsyncPolicy fsync, boolean repair) {
    this.directory = directory;
    this.fsync = fsync;
    this.repair = repair;
  }

  /**
   * The segments in ascending order (the last one is where appends go), the last valid seq, the
   * offset where the last segment's valid data ends, and the report.
   */
  record Recovered(List<Segment> segments, long lastSeq, long validEnd, RecoveryReport report) {

    Segment last() {
      return segments.get(segments.size() - 1);
    }

    long recordsInLast() {
      return lastSeq - last().baseSeq() + 1;
    }
  }

  /** The last segment kept, its last valid seq and where its valid data ends. */
  private record Tail(Segment segment, long lastSeq, long validEnd) {}

  /** The outcome of walking one segment's frames. {@code problem} is null when all were good. */
  record Scan(long validEnd, long records, long lastSeq, String problem) {}

  /** Repairs the directory for appending (creating the first segment of an empty one). */
  static Recovered recover(Path directory, FsyncPolicy fsync) throws IOException {
    return new SegmentRecovery(directory, fsync, true).run();
  }

  /** Works out what {@link #recover} would keep, changing nothing. */
  static Recovered inspect(Path directory) throws IOException {
    return new SegmentRecovery(directory, FsyncPolicy.NEVER, false).run();
  }

  /**
   * Walks every frame after the header, checking length, CRC and seq continuity, and feeds the
   * index; stops at the first problem.
   */
  static Scan scan(FileChannel channel, long baseSeq, SparseIndex index) throws IOException {
    FrameCursor cursor = new FrameCursor(channel, SegmentFormat.HEADER_BYTES);
    long expected = baseSeq;
    while (true) {
      FrameCursor.Step step = cursor.next();
      String problem = problemOf(step, cursor, expected);
      if (step == FrameCursor.Step.END || problem != null) {
        return new Scan(cursor.offset(), expected - baseSeq, expected - 1, problem);
      }
      index.observe(cursor.offset(), expected, cursor.frameBytes());
      expected++;
    }
  }

  private static String problemOf(FrameCursor.Step step, FrameCursor cursor, long expected)
      throws IOException {
    long offset = cursor.offset();
    switch (step) {
      case END:
        return null;
      case TORN:
        return "torn record at offset " + offset + " (" + cursor.bytesLeft() + " bytes)";
      case BAD_LENGTH:
        return "impossible record length " + cursor.payloadLength() + " at offset " + offset;
      default:
        break;
    }
    if (!cursor.crcValid()) {
      return "CRC mismatch in the record at offset " + offset;
    }
    long seq;
    try {
      seq = cursor.seq();
    } catch (IllegalArgumentException e) {
      // The CRC holds, so this is no torn write: refuse to cut what may be a newer format.
      throw new IOException("record at offset " + offset + " cannot be read: " + e.getMessage(), e);
    }
    return seq == expected
        ? null
        : "seq " + seq + " at offset " + offset + " where " + expected + " was expected";
  }

  private Recovered run() throws IOException {
    TreeMap<Long, Path> files = segmentFiles();
    if (files.isEmpty()) {
      if (!repair) {
        return new Recovered(List.of(), 0, 0, new RecoveryReport(0, 0, RecoveryReport.CLEAN));
      }
      ActiveSegment.create(directory, 1, fsync).close();
      files.put(1L, directory.resolve(SegmentFormat.fileName(1)));
    }
    while (true) {
      Map.Entry<Long, Path> last = files.lastEntry();
      Tail tail = recoverLast(last.getKey(), last.getValue(), files.size() > 1);
      if (tail != null) {
        files.remove(last.getKey());
        List<Segment> segments = new ArrayList<>();
        for (Map.Entry<Long, Path> file : files.entrySet()) {
          checkHeader(file.getKey(), file.getValue());
          segments.add(Segment.unindexed(file.getKey(), file.getValue()));
        }
        segments.add(tail.segment());
        if (repair && droppedBytes > 0 && fsync == FsyncPolicy.ALWAYS) {
          ActiveSegment.forceDirectory(directory);
        }
        String reason = problems.isEmpty() ? RecoveryReport.CLEAN : String.join("; ", problems);
        return new Recovered(
            segments,
            tail.lastSeq(),
            tail.validEnd(),
            new RecoveryReport(tail.lastSeq(), droppedBytes, reason));
      }
      files.remove(last.getKey());
    }
  }

  /**
   * Repairs (or, read-only, measures) the last segment; returns it alone with its last seq, or null
   * when it holds nothing and the one before it is to be looked at instead.
   */
  private Tail recoverLast(long baseSeq, Path path, boolean hasPrevious) throws IOException {
    String name = path.getFileName().toString();
    long size;
    Scan scan = null;
    try (FileChannel channel =
        repair ? FileChannel.open(path, READ, WRITE) : FileChannel.open(path, READ)) {
      size = channel.size();
      if (headerComplete(channel, baseSeq, path)) {
        SparseIndex index = new SparseIndex(baseSeq, SegmentFormat.HEADER_BYTES);
        scan = scan(channel, baseSeq, index);
        if (scan.problem() != null) {
          long cut = size - scan.validEnd();
          StringBuilder problem =
              new StringBuilder(name)
                  .append(": ")
                  .append(scan.problem())
                  .append(repair ? ", cut " : ", ignoring ")
                  .append(cut)
                  .append(" bytes");
          long intact = intactAfter(channel, scan.validEnd());
          if (intact > 0) {
            problem.append(" holding ").append(intact).append(" later records that look intact");
          }
          droppedBytes += cut;
          if (repair) {
            problem.append(save(path, scan.validEnd(), cut));
            channel.truncate(scan.validEnd());
            channel.force(true);
          }
          problems.add(problem.toString());
        }
        if (scan.records() > 0 || !hasPrevious) {
          Segment segment = new Segment(baseSeq, path, index);
          return new Tail(segment, scan.lastSeq(), scan.validEnd());
        }
      }
    }
    long left = scan == null ? size : scan.validEnd();
    String what = scan == null ? "incomplete header" : "no records";
    // a header a crash tore leaves no more than a header's bytes; more is damage worth keeping
    String saved =
        repair && scan == null && size > SegmentFormat.HEADER_BYTES ? save(path, 0, size) : "";
    problems.add(name + ": " + what + (repair ? ", removed" : ", ignored") + saved);
    droppedBytes += left;
    if (repair) {
      Files.delete(path);
      if (!hasPrevious) {
        ActiveSegment.create(directory, baseSeq, fsync).close();
      }
    }
    if (hasPrevious) {
      return null;
    }
    Segment empty = Segment.unindexed(baseSeq, path);
    return new Tail(empty, baseSeq - 1, SegmentFormat.HEADER_BYTES);
  }

  /**
   * How many records after the damaged one at {@code offset} pass their CRC, one after another:
   * records a torn write cannot explain, so the operator should look at what was saved. Zero when
   * the damage cannot be stepped over (a torn or impossible length).
   */
  private static long intactAfter(FileChannel channel, long offset) throws IOException {
    FrameCursor cursor = new FrameCursor(channel, offset);
    if (cursor.next() != FrameCursor.Step.FRAME) {
      return 0;
    }
    long intact = 0;
    while (cursor.next() == FrameCursor.Step.FRAME && cursor.crcValid()) {
      intact++;
    }
    return intact;
  }

  /**
   * Copies the bytes about to be cut to {@code <segment>.cut-<offset>} beside the segment (a name
   * recovery never reads), durable before the cut, so that cutting loses nothing an operator may
   * want back; says where, for the report. A copy that fails (a full disk, which may be what tore
   * the tail) is removed and reported, and the cut goes ahead: a log that cannot open helps no one.
   */
  private String save(Path segment, long offset, long bytes) {
    String base = segment.getFileName() + ".cut-" + offset;
    Path target = directory.resolve(base);
    for (int n = 1; Files.exists(target); n++) {
      target = directory.resolve(base + "." + n);
    }
    try (FileChannel in = FileChannel.open(segment, READ);
        FileChannel out = FileChannel.open(target, CREATE_NEW, WRITE)) {
      long copied = 0;
      while (copied < bytes) {
        long step = in.transferTo(offset + copied, bytes - copied, out);
        if (step <= 0) {
          throw new IOException("the segment ended after " + copied + " of " + bytes + " bytes");
        }
        copied += step;
      }
      out.force(true);
      ActiveSegment.forceDirectory(directory);
      return "; saved as " + target.getFileName();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // the report below says the copy is not to be trusted
      }
      return "; could not be saved (" + e + ")";
    }
  }

  /** False for a header a crash cut short (too short or still zeros); throws for a foreign one. */
  private static boolean headerComplete(FileChannel channel, long baseSeq, Path path)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
    while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
      // positional reads until the header is full or the file ends
    }
    if (header.hasRemaining()) {
      return false;
    }
    header.flip();
    boolean allZero = true;
    for (int i = 0; i < SegmentFormat.HEADER_BYTES; i++) {
      allZero &= header.get(i) == 0;
    }
    if (allZero) {
      return false;
    }
    int magic = header.getInt();
    int version = header.getInt();
    long headerBase = header.getLong();
    if (magic != SegmentFormat.MAGIC || version != SegmentFormat.VERSION) {
      throw new IOException(
          path + " is not an aigw log segment of format " + SegmentFormat.VERSION);
    }
    if (headerBase != baseSeq) {
      throw new IOException(path + " says it starts at seq " + headerBase + ", its name disagrees");
    }
    return true;
  }

  private static void checkHeader(long baseSeq, Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, READ)) {
      if (!headerComplete(channel, baseSeq, path)) {
        throw new IOException(path + " has no valid header but is not the last segment");
      }
    }
  }

  private TreeMap<Long, Path> segmentFiles() throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (Stream<Path> listing = Files.list(directory)) {
      listing.forEach(file -> SegmentFormat.baseSeqOf(file).ifPresent(seq -> files.put(seq, file)));
    }
    return files;
  }
}
