package io.aigw.core.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads the log's big-endian binary forms from a byte range. Every read checks the range, so a
 * truncated or garbled input fails with {@link IllegalArgumentException}, never an out-of-bounds
 * read into a neighbouring record.
 */
final class BinaryIn {

  private final byte[] bytes;
  private final int limit;
  private int position;

  BinaryIn(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IllegalArgumentException("range outside the array");
    }
    this.bytes = bytes;
    this.position = offset;
    this.limit = offset + length;
  }

  int position() {
    return position;
  }

  int limit() {
    return limit;
  }

  int remaining() {
    return limit - position;
  }

  /** A reader over the next {@code length} bytes; this reader moves past them. */
  BinaryIn slice(int length) {
    require(length);
    BinaryIn slice = new BinaryIn(bytes, position, length);
    position += length;
    return slice;
  }

  int readByte() {
    require(1);
    return bytes[position++] & 0xff;
  }

  int readInt() {
    require(4);
    int value = intAt(bytes, position);
    position += 4;
    return value;
  }

  long readLong() {
    require(8);
    long value = ((long) intAt(bytes, position) << 32) | (intAt(bytes, position + 4) & 0xffffffffL);
    position += 8;
    return value;
  }

  String readString() {
    int length = readInt();
    if (length < 0) {
      throw new IllegalArgumentException("negative string length " + length);
    }
    require(length);
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  static int intAt(byte[] bytes, int at) {
    return ((bytes[at] & 0xff) << 24)
        | ((bytes[at + 1] & 0xff) << 16)
        | ((bytes[at + 2] & 0xff) << 8)
        | (bytes[at + 3] & 0xff);
  }

  private void require(int count) {
    if (count > limit - position) {
      throw new IllegalArgumentException(
          "truncated log entry: need " + count + " bytes, " + (limit - position) + " left");
    }
  }
}
