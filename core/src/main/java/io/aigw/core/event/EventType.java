package io.aigw.core.event;

/** What happened to an observed object. */
public enum EventType {
  UPSERT,
  DELETE
}
