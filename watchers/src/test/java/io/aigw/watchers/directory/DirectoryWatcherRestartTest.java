package io.aigw.watchers.directory;

import static io.aigw.watchers.directory.DirectoryWatcherTest.GATEWAY_AND_CLASS;
import static io.aigw.watchers.directory.DirectoryWatcherTest.ROUTE;
import static io.aigw.watchers.directory.WatchDriver.deletes;
import static io.aigw.watchers.directory.WatchDriver.upserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.watchers.secret.SecretValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherRestartTest {

  static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data: {mode: fast}
      """;

  @TempDir Path dir;
  final WatchDriver first = new WatchDriver();
  final WatchDriver second = new WatchDriver();

  @AfterEach
  void stop() {
    first.stop();
    second.stop();
  }

  @Test
  void aRestartOnAnUnchangedDirectoryEmitsNothingAndRereadsSecretValues() throws IOException {
    write("route.yaml", ROUTE);
    write("secret.yaml", DirectoryWatcherSecretsTest.secret(DirectoryWatcherSecretsTest.API_KEY));
    first.start(dir);
    first.stop();

    SecretValues values = new SecretValues();
    List<LogEvent> events =
        second.start(DirectoryWatcher.builder(dir).recorded(first.recorded()).secretValues(values));

    assertThat(events).isEmpty();
    assertThat(second.scans.values())
        .singleElement()
        .satisfies(s -> assertThat(s.initial()).isTrue());
    assertThat(values.get("default", "openai-key", "apiKey")).isPresent();
  }

  @Test
  void aRestartEmitsOnlyWhatChangedMeanwhile() throws IOException {
    write("route.yaml", ROUTE);
    write("gateway.yaml", GATEWAY_AND_CLASS);
    write("config.yaml", CONFIG_MAP);
    first.start(dir);
    first.poll();
    first.stop();
    Map<ObjectKey, WatchEvent> recorded = first.recorded();
    long highest =
        recorded.values().stream()
            .mapToLong(e -> Long.parseLong(e.resourceVersion()))
            .max()
            .orElseThrow();

    write("route.yaml", ROUTE.replace("name: openai", "name: azure"));
    Files.delete(dir.resolve("gateway.yaml"));
    write("new.yaml", CONFIG_MAP.replace("settings", "more"));

    List<LogEvent> events = second.start(DirectoryWatcher.builder(dir).recorded(recorded));

    assertThat(upserts(events))
        .extracting(WatchEvent::name, WatchEvent::generation)
        .containsExactly(tuple("more", 1L), tuple("chat", 2L));
    assertThat(deletes(events)).extracting(WatchEvent::name).containsExactly("gw", "eg");
    assertThat(events)
        .map(e -> Long.parseLong(((WatchEvent) e).resourceVersion()))
        .allMatch(version -> version > highest)
        .doesNotHaveDuplicates();
  }

  @Test
  void resourceVersionsStartAboveTheGivenFloor() throws IOException {
    write("config.yaml", CONFIG_MAP);

    List<LogEvent> events = first.start(DirectoryWatcher.builder(dir).resourceVersionFloor(41));

    assertThat(upserts(events))
        .singleElement()
        .satisfies(e -> assertThat(e.resourceVersion()).isEqualTo("42"));
  }

  @Test
  void whileAFileIsBrokenAfterARestartTheObjectsNoFileDeclaresAreKept() throws IOException {
    write("route.yaml", ROUTE);
    write("gateway.yaml", GATEWAY_AND_CLASS);
    first.start(dir);
    first.stop();

    write("gateway.yaml", GATEWAY_AND_CLASS + "\n  broken: [");
    List<LogEvent> events = second.start(DirectoryWatcher.builder(dir).recorded(first.recorded()));
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.file()).isEqualTo("gateway.yaml"));

    write("gateway.yaml", GATEWAY_AND_CLASS.substring(0, GATEWAY_AND_CLASS.indexOf("---")));
    List<LogEvent> fixed = second.poll();
    assertThat(fixed).hasSize(1);
    assertThat(deletes(fixed)).extracting(WatchEvent::name).containsExactly("gw");
  }

  @Test
  void objectsOfAnEarlierRunThatNoFileDeclaresAreDeletedWhenEveryFileParses() throws IOException {
    write("route.yaml", ROUTE);
    write("gateway.yaml", GATEWAY_AND_CLASS);
    first.start(dir);
    first.stop();

    Files.delete(dir.resolve("route.yaml"));
    List<LogEvent> events = second.start(DirectoryWatcher.builder(dir).recorded(first.recorded()));

    assertThat(events).hasSize(1);
    assertThat(deletes(events)).extracting(WatchEvent::name).containsExactly("chat");
  }

  void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }
}
