package io.aigw.core.log;

/** An append reached a log that was closed (or is closing); nothing was recorded. */
public final class EventLogClosedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public EventLogClosedException(String message) {
    super(message);
  }
}
