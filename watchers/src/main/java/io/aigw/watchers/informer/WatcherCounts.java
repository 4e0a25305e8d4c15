package io.aigw.watchers.informer;

/**
 * What a {@link ClusterWatcher} has seen: events admitted to the log, repeats dropped (relists,
 * resyncs, reconnects), and objects that could not be read (a malformed Secret; never logged).
 */
public record WatcherCounts(long admitted, long repeated, long unreadable) {}
