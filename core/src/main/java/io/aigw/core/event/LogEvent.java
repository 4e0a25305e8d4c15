package io.aigw.core.event;

/** Anything the log records. Every variant is an immutable value with a stable JSON form. */
public sealed interface LogEvent permits WatchEvent, SourceError, ApplyOutcome, RotationOutcome {

  /** Where the event came from: {@code dir:<path>}, {@code k8s:<context>}, {@code admin}, … */
  String source();
}
