package io.aigw.watchers.directory;

import static io.aigw.watchers.directory.WatchDriver.upserts;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every upstream example is read as a cluster would take it: no file is rejected. */
class UpstreamExamplesTest {

  static final Path EXAMPLES =
      Path.of(System.getProperty("aigw.root")).resolve("../shared/fixtures/upstream/examples");

  @TempDir Path dir;
  final WatchDriver watch = new WatchDriver();

  @AfterEach
  void stop() {
    watch.stop();
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(17);
      return yaml.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyObjectOfTheFileIsRecordedWithoutAnError(Path example) throws Exception {
    Files.copy(example, dir.resolve(example.getFileName()));
    long objects =
        YamlDocuments.parse(Files.readString(example)).stream()
            .filter(d -> d.node().has("kind"))
            .count();

    List<LogEvent> events = watch.start(dir);

    assertThat(events).noneMatch(SourceError.class::isInstance);
    assertThat(upserts(events)).hasSize((int) objects);
  }

  @Test
  void theWholeTreeReportsOnlyTheObjectsSeveralExamplesDeclare() {
    List<LogEvent> events = watch.start(EXAMPLES);

    assertThat(events)
        .filteredOn(SourceError.class::isInstance)
        .map(e -> ((SourceError) e).reason())
        .isNotEmpty()
        .allMatch(reason -> reason.contains(" is declared again in "));
    assertThat(upserts(events)).hasSize(95);
    assertThat(watch.scans.values().get(0).files()).isEqualTo(17);
  }
}
