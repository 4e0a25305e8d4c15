package io.aigw.extproc.translate;

import java.io.ByteArrayOutputStream;

/** Collects a buffered body that may arrive in several pieces. */
public final class BodyCollector {

  private ByteArrayOutputStream parts;

  /** Adds {@code chunk}; returns the whole body when {@code end}, else null. */
  public byte[] add(byte[] chunk, boolean end) {
    if (end && parts == null) {
      return chunk;
    }
    if (parts == null) {
      parts = new ByteArrayOutputStream(Math.max(256, chunk.length * 2));
    }
    parts.writeBytes(chunk);
    if (!end) {
      return null;
    }
    byte[] all = parts.toByteArray();
    parts = null;
    return all;
  }
}
