package io.aigw.core.log.file;

import io.aigw.core.codec.LogEntryCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The on-disk layout (see core/DESIGN.md). A segment file is named after the seq of its first
 * entry, zero-padded to 20 digits, and starts with a 16-byte header: magic {@code AIGL}, format
 * version (int), base seq (long). Then frames: payload length (int), CRC32C of the payload (int),
 * payload (one {@link LogEntryCodec} entry). Big-endian throughout.
 */
final class SegmentFormat {

  static final int MAGIC = 0x4149474C;
  static final int VERSION = 1;
  static final int HEADER_BYTES = 16;
  static final int FRAME_HEADER_BYTES = 8;
  static final int MIN_PAYLOAD_BYTES = LogEntryCodec.MIN_ENTRY_BYTES;
  static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
  static final String SUFFIX = ".seg";

  private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

  private SegmentFormat() {}

  static String fileName(long baseSeq) {
    return String.format("%020d%s", baseSeq, SUFFIX);
  }

  /** The base seq a segment file name carries; empty for any other file. */
  static Optional<Long> baseSeqOf(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
  }

  static ByteBuffer header(long baseSeq) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putInt(MAGIC).putInt(VERSION).putLong(baseSeq).flip();
    return header;
  }

  static boolean validPayloadLength(int length) {
    return length >= MIN_PAYLOAD_BYTES && length <= MAX_PAYLOAD_BYTES;
  }
}
