package io.aigw.core.log.file;

/**
 * Committed log data failed a check on read (CRC, length or seq continuity). Recovery repairs a
 * torn tail on open; this is damage inside the committed part, which nothing repairs silently.
 */
public final class LogCorruptedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public LogCorruptedException(String message) {
    super(message);
  }
}
