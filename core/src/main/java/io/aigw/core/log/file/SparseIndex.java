package io.aigw.core.log.file;

import java.util.Arrays;

/**
 * Where some seqs of one segment start, so a read jumps close to its first entry instead of
 * scanning the segment. It holds one point per {@link #INTERVAL_BYTES} of data plus a frontier: the
 * offset and seq of the first frame no one has looked at yet. The writer moves the frontier of the
 * active segment as it appends; readers move it through older segments as they pass it, so the
 * index of a segment costs nothing until the segment is read.
 */
final class SparseIndex {

  /** At most this many bytes lie between a point and the next one. */
  static final int INTERVAL_BYTES = 64 * 1024;

  private long[] seqs = new long[16];
  private long[] offsets = new long[16];
  private int count;
  private long frontierOffset;
  private long frontierSeq;

  SparseIndex(long baseSeq, long firstFrameOffset) {
    seqs[0] = baseSeq;
    offsets[0] = firstFrameOffset;
    count = 1;
    frontierOffset = firstFrameOffset;
    frontierSeq = baseSeq;
  }

  /** A position at or before the frame of {@code seq}: its offset and the seq found there. */
  synchronized Position locate(long seq) {
    if (seq >= frontierSeq) {
      return new Position(frontierOffset, frontierSeq);
    }
    int found = Arrays.binarySearch(seqs, 0, count, seq);
    int at = found >= 0 ? found : Math.max(0, -found - 2);
    return new Position(offsets[at], seqs[at]);
  }

  /** Called for every frame a scan passes; moves the frontier when the frame is on it. */
  synchronized void observe(long offset, long seq, int frameBytes) {
    if (offset != frontierOffset) {
      return;
    }
    if (offset - offsets[count - 1] >= INTERVAL_BYTES) {
      if (count == seqs.length) {
        seqs = Arrays.copyOf(seqs, count * 2);
        offsets = Arrays.copyOf(offsets, count * 2);
      }
      seqs[count] = seq;
      offsets[count] = offset;
      count++;
    }
    frontierOffset = offset + frameBytes;
    frontierSeq = seq + 1;
  }

  synchronized int points() {
    return count;
  }

  /** A frame start: file offset and the seq of the frame there. */
  record Position(long offset, long seq) {}
}
