package io.aigw.watchers.directory;

import static io.aigw.watchers.directory.DirectoryWatcherTest.ROUTE;
import static io.aigw.watchers.directory.WatchDriver.upserts;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherCreationTimestampTest {

  static final Instant FIRST_SIGHT = Instant.parse("2026-11-26T22:55:03.789Z");

  @TempDir Path dir;
  final SettableClock clock = new SettableClock(FIRST_SIGHT);
  final WatchDriver first = new WatchDriver();
  final WatchDriver second = new WatchDriver();

  @AfterEach
  void stop() {
    first.stop();
    second.stop();
  }

  @Test
  void anObjectSeenForTheFirstTimeIsStampedWithTheClocksTimeInWholeSeconds() throws IOException {
    write("route.yaml", ROUTE);

    List<LogEvent> events = first.start(DirectoryWatcher.builder(dir).clock(clock));

    assertThat(upserts(events))
        .singleElement()
        .satisfies(e -> assertThat(creationTimestamp(e)).isEqualTo("2026-11-26T22:55:03Z"));
  }

  @Test
  void anEditKeepsTheTimeTheObjectFirstAppeared() throws IOException {
    write("route.yaml", ROUTE);
    first.start(DirectoryWatcher.builder(dir).clock(clock));

    clock.advance(Duration.ofHours(3));
    write("route.yaml", ROUTE.replace("name: openai", "name: azure"));
    List<LogEvent> events = first.poll();

    assertThat(upserts(events))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.generation()).isEqualTo(2);
              assertThat(creationTimestamp(e)).isEqualTo("2026-11-26T22:55:03Z");
            });
  }

  @Test
  void anObjectDeletedAndCreatedAgainIsStampedAnew() throws IOException {
    write("route.yaml", ROUTE);
    first.start(DirectoryWatcher.builder(dir).clock(clock));
    Files.delete(dir.resolve("route.yaml"));
    assertThat(WatchDriver.deletes(first.poll())).hasSize(1);

    clock.advance(Duration.ofMinutes(5));
    write("route.yaml", ROUTE);
    List<LogEvent> events = first.poll();

    assertThat(upserts(events))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.generation()).isEqualTo(1);
              assertThat(creationTimestamp(e)).isEqualTo("2026-11-26T23:00:03Z");
            });
  }

  @Test
  void aRestartOnTheSameRecordedStateAppendsNothingAndAnEditThenKeepsTheTimestamp()
      throws IOException {
    write("route.yaml", ROUTE);
    first.start(DirectoryWatcher.builder(dir).clock(clock));
    first.stop();

    clock.advance(Duration.ofDays(1));
    List<LogEvent> restarted =
        second.start(DirectoryWatcher.builder(dir).recorded(first.recorded()).clock(clock));
    assertThat(restarted).isEmpty();

    write("route.yaml", ROUTE.replace("name: openai", "name: azure"));
    assertThat(upserts(second.poll()))
        .singleElement()
        .satisfies(e -> assertThat(creationTimestamp(e)).isEqualTo("2026-11-26T22:55:03Z"));
  }

  @Test
  void anObjectRecordedWithoutATimestampGetsNoneUntilItChanges() throws IOException {
    write("route.yaml", ROUTE);
    Map<ObjectKey, WatchEvent> unstamped = new TreeMap<>();
    for (WatchEvent e :
        upserts(ManifestSnapshot.read(List.of(dir.resolve("route.yaml")), "x").events())) {
      unstamped.put(e.key(), e);
    }

    List<LogEvent> restarted =
        second.start(DirectoryWatcher.builder(dir).recorded(unstamped).clock(clock));
    assertThat(restarted).isEmpty();

    clock.advance(Duration.ofHours(1));
    write("route.yaml", ROUTE.replace("name: openai", "name: azure"));
    assertThat(upserts(second.poll()))
        .singleElement()
        .satisfies(e -> assertThat(creationTimestamp(e)).isEqualTo("2026-11-26T23:55:03Z"));
  }

  @Test
  void aTimestampTheFileDeclaresIsIgnored() throws IOException {
    write(
        "route.yaml",
        ROUTE.replace(
            "  name: chat", "  name: chat\n  creationTimestamp: \"2000-01-01T00:00:00Z\""));

    List<LogEvent> events = first.start(DirectoryWatcher.builder(dir).clock(clock));

    assertThat(upserts(events))
        .singleElement()
        .satisfies(e -> assertThat(creationTimestamp(e)).isEqualTo("2026-11-26T22:55:03Z"));
  }

  @Test
  void aManifestSnapshotAsTranslateReadsItStampsNothing() throws IOException {
    write("route.yaml", ROUTE);

    ManifestSnapshot snapshot = ManifestSnapshot.read(List.of(dir.resolve("route.yaml")), "x");

    assertThat(upserts(snapshot.events()))
        .singleElement()
        .satisfies(
            e ->
                assertThat(
                        CanonicalJson.read(e.objectJson())
                            .path("metadata")
                            .has("creationTimestamp"))
                    .isFalse());
  }

  private static String creationTimestamp(WatchEvent event) {
    assertThat(event.type()).isEqualTo(EventType.UPSERT);
    return CanonicalJson.read(event.objectJson())
        .path("metadata")
        .path("creationTimestamp")
        .asText("");
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }

  /** A clock the test moves by hand. */
  static final class SettableClock extends Clock {
    private Instant now;

    SettableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
