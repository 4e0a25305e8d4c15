package io.aigw.watchers.directory;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** A {@link DirectoryWatcher} driven by a test scheduler: each poll is one advance of the clock. */
final class WatchDriver {

  static final Duration INTERVAL = Duration.ofMillis(100);

  final TestScheduler scheduler = new TestScheduler();
  final List<LogEvent> all = new ArrayList<>();
  DirectoryWatcher watcher;
  TestSubscriber<DirectoryScan> scans;
  private int delivered;

  /** Starts watching and returns what the first scan delivered. */
  List<LogEvent> start(Path directory) {
    return start(DirectoryWatcher.builder(directory));
  }

  List<LogEvent> start(DirectoryWatcher.Builder builder) {
    watcher = builder.pollInterval(INTERVAL).scheduler(scheduler).build();
    scans = watcher.scans().test();
    scheduler.triggerActions();
    scans.assertNoErrors();
    return drain();
  }

  /** One poll: what it delivered. */
  List<LogEvent> pollOnce() {
    scheduler.advanceTimeBy(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    scans.assertNoErrors();
    return drain();
  }

  /** Two polls, enough for any change made before to be taken. */
  List<LogEvent> poll() {
    List<LogEvent> events = new ArrayList<>(pollOnce());
    events.addAll(pollOnce());
    return events;
  }

  /** The current UPSERT of every object, as the log would hold it: what a restart is given. */
  Map<ObjectKey, WatchEvent> recorded() {
    Map<ObjectKey, WatchEvent> objects = new TreeMap<>();
    for (LogEvent event : all) {
      if (event instanceof WatchEvent watch) {
        if (watch.type() == EventType.UPSERT) {
          objects.put(watch.key(), watch);
        } else {
          objects.remove(watch.key());
        }
      }
    }
    return objects;
  }

  void stop() {
    if (scans != null) {
      scans.cancel();
    }
  }

  static List<WatchEvent> upserts(List<LogEvent> events) {
    return ofType(events, EventType.UPSERT);
  }

  static List<WatchEvent> deletes(List<LogEvent> events) {
    return ofType(events, EventType.DELETE);
  }

  private static List<WatchEvent> ofType(List<LogEvent> events, EventType type) {
    return events.stream()
        .filter(WatchEvent.class::isInstance)
        .map(WatchEvent.class::cast)
        .filter(e -> e.type() == type)
        .toList();
  }

  private List<LogEvent> drain() {
    List<DirectoryScan> values = scans.values();
    List<LogEvent> events =
        values.subList(delivered, values.size()).stream()
            .flatMap(scan -> scan.events().stream())
            .toList();
    delivered = values.size();
    all.addAll(events);
    return events;
  }
}
