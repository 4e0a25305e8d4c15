package io.aigw.admin.api;

import java.util.Objects;

/**
 * What a restore did: whether the source changed ({@code false} when it already held that version),
 * where it was written ({@code file routes/chat.yaml}, {@code API server}), and a sentence for the
 * operator.
 */
public record RestoreOutcome(boolean changed, String target, String message) {

  public RestoreOutcome {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(message, "message");
  }
}
