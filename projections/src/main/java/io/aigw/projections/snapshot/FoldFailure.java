package io.aigw.projections.snapshot;

import java.util.Objects;

/**
 * A projection threw on the entry {@code seq}. The fold is pure, so it throws on that entry every
 * time: the entry is skipped on every replay alike and live state still equals replayed state.
 * {@code error} is the exception's class and message, never a stack trace.
 */
public record FoldFailure(long seq, String error) {

  public FoldFailure {
    Objects.requireNonNull(error, "error");
  }

  static FoldFailure of(long seq, RuntimeException exception) {
    String message = exception.getMessage();
    String type = exception.getClass().getName();
    return new FoldFailure(seq, message == null ? type : type + ": " + message);
  }
}
