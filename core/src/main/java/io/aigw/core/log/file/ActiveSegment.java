package io.aigw.core.log.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The segment the writer appends to: its write channel and how many bytes it holds. */
final class ActiveSegment implements AutoCloseable {

  private final Segment segment;
  private final FileChannel channel;
  private long size;
  private long records;

  private ActiveSegment(Segment segment, FileChannel channel, long size, long records) {
    this.segment = segment;
    this.channel = channel;
    this.size = size;
    this.records = records;
  }

  /** Creates the file of a new segment with its header, durable before any record goes in. */
  static ActiveSegment create(Path directory, long baseSeq, FsyncPolicy fsync) throws IOException {
    Path path = directory.resolve(SegmentFormat.fileName(baseSeq));
    FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      writeFully(channel, SegmentFormat.header(baseSeq));
      if (fsync == FsyncPolicy.ALWAYS) {
        channel.force(true);
        forceDirectory(directory);
      }
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    Segment segment = Segment.unindexed(baseSeq, path);
    return new ActiveSegment(segment, channel, SegmentFormat.HEADER_BYTES, 0);
  }

  /** Continues a recovered segment whose valid data ends at {@code size}. */
  static ActiveSegment reopen(Segment segment, long size, long records) throws IOException {
    FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.WRITE);
    channel.position(size);
    if (channel.size() != size) {
      channel.close();
      throw new IOException(segment + " holds " + channel.size() + " bytes, recovery kept " + size);
    }
    return new ActiveSegment(segment, channel, size, records);
  }

  Segment segment() {
    return segment;
  }

  long size() {
    return size;
  }

  long records() {
    return records;
  }

  void countRecord() {
    records++;
  }

  void write(ByteBuffer bytes) throws IOException {
    size += writeFully(channel, bytes);
  }

  /** Data only: appends change the size, which fdatasync covers; timestamps do not matter. */
  void force() throws IOException {
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static int writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
    int written = 0;
    while (bytes.hasRemaining()) {
      written += channel.write(bytes);
    }
    return written;
  }
}
