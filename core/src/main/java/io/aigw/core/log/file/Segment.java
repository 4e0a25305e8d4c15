package io.aigw.core.log.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file as readers see it: its base seq, its sparse index and a read channel opened on
 * first use. The writer appends through a channel of its own.
 */
final class Segment {

  private final long baseSeq;
  private final Path path;
  private final SparseIndex index;
  private FileChannel readChannel;

  Segment(long baseSeq, Path path, SparseIndex index) {
    this.baseSeq = baseSeq;
    this.path = path;
    this.index = index;
  }

  static Segment unindexed(long baseSeq, Path path) {
    return new Segment(baseSeq, path, new SparseIndex(baseSeq, SegmentFormat.HEADER_BYTES));
  }

  long baseSeq() {
    return baseSeq;
  }

  Path path() {
    return path;
  }

  SparseIndex index() {
    return index;
  }

  synchronized FileChannel readChannel() throws IOException {
    if (readChannel == null) {
      readChannel = FileChannel.open(path, StandardOpenOption.READ);
    }
    return readChannel;
  }

  synchronized void close() throws IOException {
    if (readChannel != null) {
      readChannel.close();
      readChannel = null;
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
