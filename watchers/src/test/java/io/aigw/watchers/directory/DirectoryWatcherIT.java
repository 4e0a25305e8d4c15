package io.aigw.watchers.directory;

import static io.aigw.watchers.directory.DirectoryWatcherTest.GATEWAY_AND_CLASS;
import static io.aigw.watchers.directory.DirectoryWatcherTest.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.reactivex.rxjava3.disposables.Disposable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on real time and real files: what {@code aigw run} sees while a user edits. */
class DirectoryWatcherIT {

  @TempDir Path dir;
  final List<LogEvent> events = new CopyOnWriteArrayList<>();
  final List<DirectoryScan> scans = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> failure = new AtomicReference<>();
  Disposable subscription;

  /** Events already handed out by {@link #next}, so that events of a write are never missed. */
  int taken;

  @AfterEach
  void stop() {
    if (subscription != null) {
      subscription.dispose();
    }
    assertThat(failure.get()).isNull();
  }

  void start() {
    start(Duration.ofMillis(50));
  }

  void start(Duration pollInterval) {
    DirectoryWatcher watcher = DirectoryWatcher.builder(dir).pollInterval(pollInterval).build();
    subscription =
        watcher
            .scans()
            .subscribe(
                scan -> {
                  // events first: the test reads them once it sees the scan
                  events.addAll(scan.events());
                  scans.add(scan);
                },
                failure::set);
    await().atMost(Duration.ofSeconds(20)).until(() -> !scans.isEmpty());
    assertThat(scans.get(0).initial()).isTrue();
    taken = events.size();
  }

  /**
   * Waits for {@code count} events after those already taken, then checks that no further one
   * follows soon after. Counting from the last taken event, not from now, keeps a test thread that
   * stalls after its write from missing the events the write caused.
   */
  List<LogEvent> next(int count) {
    int from = taken;
    taken = from + count;
    await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= from + count);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.size() == from + count);
    return List.copyOf(events.subList(from, from + count));
  }

  void write(String name, String text) throws IOException {
    // how editors save: a temporary file renamed over the old one
    Path temporary = dir.resolve("." + name + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void followsAnEditSessionFromAddToDelete() throws IOException {
    write("route.yaml", ROUTE);
    start();
    assertThat(events).hasSize(1);

    write("gateway.yaml", GATEWAY_AND_CLASS);
    assertThat(next(2)).allMatch(e -> ((WatchEvent) e).type() == EventType.UPSERT);

    write("route.yaml", ROUTE.replace("name: openai", "name: azure"));
    assertThat(next(1))
        .singleElement()
        .isInstanceOfSatisfying(WatchEvent.class, e -> assertThat(e.generation()).isEqualTo(2));

    write("route.yaml", ROUTE.replace("name: openai", "name: azure").replace("  ", "    "));
    assertThat(next(0)).isEmpty();

    write("route.yaml", "apiVersion: [unclosed\n");
    assertThat(next(1))
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.file()).isEqualTo("route.yaml"));

    write("route.yaml", ROUTE.replace("name: openai", "name: bedrock"));
    assertThat(next(1))
        .singleElement()
        .isInstanceOfSatisfying(WatchEvent.class, e -> assertThat(e.generation()).isEqualTo(3));

    Files.delete(dir.resolve("gateway.yaml"));
    assertThat(next(2)).allMatch(e -> ((WatchEvent) e).type() == EventType.DELETE);
  }

  @Test
  void aFileWrittenInPlaceInSeveralStepsIsTakenOnce() throws IOException {
    // the production interval: a writer stalled for two polls of 50 ms on a loaded machine would
    // rightly have its half-written file taken (DirectoryWatcherTest covers the rule without
    // clocks)
    start(DirectoryWatcher.DEFAULT_POLL_INTERVAL);

    try (var out = Files.newBufferedWriter(dir.resolve("route.yaml"))) {
      for (String line : ROUTE.split("\n")) {
        out.write(line + "\n");
        out.flush();
      }
    }

    assertThat(next(1))
        .singleElement()
        .isInstanceOfSatisfying(WatchEvent.class, e -> assertThat(e.name()).isEqualTo("chat"));
  }
}
