package io.aigw.admin.api;

/** A restore that could not be done, and why (the message is shown to the operator). */
public final class RestoreException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why: the mode cannot restore at all, the object cannot be, or writing failed. */
  public enum Reason {
    UNSUPPORTED,
    NOT_RESTORABLE,
    /**
     * The source is in a state a restore would make worse: a file that may declare the object does
     * not parse.
     */
    CONFLICT,
    FAILED
  }

  private final Reason reason;

  public RestoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RestoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
