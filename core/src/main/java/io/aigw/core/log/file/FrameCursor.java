package io.aigw.core.log.file;

import io.aigw.core.codec.LogEntryCodec;
import io.aigw.core.event.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Walks the frames of one segment from a given offset with positional reads, so any number of
 * cursors share a channel with the writer. It only frames: whether a frame's CRC and seq are right
 * is for the caller to ask ({@link #crcValid}, {@link #seq}).
 */
final class FrameCursor {

  /** What {@link #next} found. */
  enum Step {
    /** A complete frame with a plausible length. */
    FRAME,
    /** The end of the data, on a frame boundary. */
    END,
    /** Bytes at the end that do not make a whole frame. */
    TORN,
    /** A frame header whose length cannot be right. */
    BAD_LENGTH
  }

  private static final int CHUNK_BYTES = 128 * 1024;

  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private byte[] buffer = new byte[CHUNK_BYTES];
  private long bufferOffset;
  private int start;
  private int end;
  private int frameBytes;
  private boolean eof;

  FrameCursor(FileChannel channel, long offset) {
    this.channel = channel;
    this.bufferOffset = offset;
  }

  /** Moves to the frame after the current one. */
  Step next() throws IOException {
    start += frameBytes;
    frameBytes = 0;
    if (!fill(SegmentFormat.FRAME_HEADER_BYTES)) {
      return start == end ? Step.END : Step.TORN;
    }
    int length = payloadLength();
    if (!SegmentFormat.validPayloadLength(length)) {
      return Step.BAD_LENGTH;
    }
    if (!fill(SegmentFormat.FRAME_HEADER_BYTES + length)) {
      return Step.TORN;
    }
    frameBytes = SegmentFormat.FRAME_HEADER_BYTES + length;
    return Step.FRAME;
  }

  /** File offset of the current frame (or of the torn or bad bytes after {@link #next}). */
  long offset() {
    return bufferOffset + start;
  }

  /** Bytes of the current frame, header included. */
  int frameBytes() {
    return frameBytes;
  }

  /** Bytes from the current offset to the end of what could be read. */
  int bytesLeft() {
    return end - start;
  }

  int payloadLength() {
    return intAt(start);
  }

  boolean crcValid() {
    crc.reset();
    crc.update(buffer, start + SegmentFormat.FRAME_HEADER_BYTES, payloadLength());
    return (int) crc.getValue() == intAt(start + 4);
  }

  /** The seq in the current frame's payload, read without decoding the rest. */
  long seq() {
    return LogEntryCodec.seqOf(buffer, start + SegmentFormat.FRAME_HEADER_BYTES, payloadLength());
  }

  LogEntry decode() {
    return LogEntryCodec.decode(buffer, start + SegmentFormat.FRAME_HEADER_BYTES, payloadLength());
  }

  private int intAt(int at) {
    return ((buffer[at] & 0xff) << 24)
        | ((buffer[at + 1] & 0xff) << 16)
        | ((buffer[at + 2] & 0xff) << 8)
        | (buffer[at + 3] & 0xff);
  }

  /** Makes {@code bytes} bytes from {@code start} available; false when the file ends first. */
  private boolean fill(int bytes) throws IOException {
    if (end - start >= bytes) {
      return true;
    }
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      bufferOffset += start;
      end -= start;
      start = 0;
    }
    if (bytes > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(bytes, buffer.length * 2));
    }
    while (end < bytes && !eof) {
      int read =
          channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end), bufferOffset + end);
      if (read < 0) {
        eof = true;
      } else {
        end += read;
      }
    }
    return end - start >= bytes;
  }
}
