package io.aigw.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte sink for the log's binary forms. Not thread-safe; one per encoding.
 */
final class BinaryOut {

  private byte[] bytes;
  private int size;

  BinaryOut(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  void writeByte(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }

  void writeInt(int value) {
    ensure(4);
    putInt(size, value);
    size += 4;
  }

  void writeLong(long value) {
    ensure(8);
    writeInt((int) (value >>> 32));
    writeInt((int) value);
  }

  /** A string as its UTF-8 byte length (int) followed by the bytes. */
  void writeString(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeInt(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
  }

  /** Overwrites four bytes written earlier, for a length known only after the body. */
  void putInt(int at, int value) {
    bytes[at] = (byte) (value >>> 24);
    bytes[at + 1] = (byte) (value >>> 16);
    bytes[at + 2] = (byte) (value >>> 8);
    bytes[at + 3] = (byte) value;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      long wanted = Math.max((long) bytes.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("encoded log entry is too large");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
  }
}
