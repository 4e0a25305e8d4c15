package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.file.FileEventLog;
import io.aigw.deploy.datadir.DataDirectory;
import io.aigw.watchers.directory.ManifestSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  @TempDir Path data;
  private List<LogEvent> events;

  @BeforeEach
  void recordTheOpenAiExample() throws Exception {
    events =
        ManifestSnapshot.read(List.of(Fixtures.examples().resolve("openai.yaml")), "test").events();
    try (FileEventLog log = FileEventLog.open(DataDirectory.logDirectory(data))) {
      for (LogEvent event : events) {
        log.append(event).get();
      }
    }
  }

  /** Every bundled example (five routes on one Gateway) recorded from {@code source}. */
  private static Path recordAllExamples(Path dir, String source) throws Exception {
    List<Path> files;
    try (var listed = java.nio.file.Files.list(Fixtures.examples())) {
      files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    try (FileEventLog log = FileEventLog.open(DataDirectory.logDirectory(dir))) {
      for (LogEvent event : ManifestSnapshot.read(files, source).events()) {
        log.append(event).get();
      }
    }
    return dir;
  }

  @Test
  void routesOfALogOfAigwRunAreServedByOneExtProcAndOfAControllersEachByItsOwn(
      @TempDir Path run, @TempDir Path controller) throws Exception {
    CliRun local =
        CliRun.of("replay", "--data", recordAllExamples(run, "dir:/examples").toString());
    assertThat(local.out()).doesNotContain("NotAccepted");

    CliRun cluster =
        CliRun.of("replay", "--data", recordAllExamples(controller, "k8s:prod").toString());
    assertThat(cluster.out().lines().filter(line -> line.contains("takes this route's requests")))
        .as("in a cluster, four of the five routes on one Gateway are not reached")
        .hasSize(4);
  }

  @Test
  void latestStateEqualsWhatTranslatePrints() {
    CliRun replay = CliRun.of("replay", "--data", data.toString());
    CliRun translate =
        CliRun.of("translate", Fixtures.examples().resolve("openai.yaml").toString());

    assertThat(replay.exitCode()).isZero();
    assertThat(replay.out()).startsWith("# aigw replay: state at seq " + events.size());
    assertThat(withoutComments(replay.out())).isEqualTo(translate.out());
    assertThat(replay.out()).contains("# status AIGatewayRoute default/openai: Accepted");
  }

  @Test
  void anEarlierSeqShowsTheStateOfThen() {
    int routeSeq = seqOf("AIGatewayRoute");

    CliRun run =
        CliRun.of(
            "replay",
            "--data",
            data.toString(),
            "--to",
            Long.toString(routeSeq),
            "--output",
            "json");

    assertThat(run.exitCode()).isZero();
    JsonNode state = CanonicalJson.read(run.out());
    assertThat(state.path("seq").asLong()).isEqualTo(routeSeq);
    assertThat(state.path("latestSeq").asLong()).isEqualTo(events.size());
    // the backend is not recorded yet at this seq: the route is not accepted
    assertThat(state.path("status").get(0).path("conditions").get(0).path("type").asText())
        .isEqualTo("NotAccepted");
    assertThat(state.path("desired").findValuesAsText("kind")).contains("HTTPRoute");
  }

  @Test
  void aSeqOutsideTheLogIsAnErrorNamingTheRange() {
    CliRun run = CliRun.of("replay", "--data", data.toString(), "--to", "999");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("seq 999 is not in the log (it holds 1.." + events.size() + ")");
  }

  @Test
  void aTornTailIsSaidOnStandardErrorAndLeftInPlace() throws Exception {
    Path segment;
    try (var files = java.nio.file.Files.list(DataDirectory.logDirectory(data))) {
      segment = files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    // half a record at the end, as a crash mid-write leaves it
    java.nio.file.Files.write(
        segment, new byte[] {0, 0, 0, 40, 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    long size = java.nio.file.Files.size(segment);

    CliRun run = CliRun.of("replay", "--data", data.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .startsWith(
            "the log's tail is damaged: replaying up to seq "
                + events.size()
                + " and leaving out 7 bytes after it (");
    assertThat(run.out()).contains("state at seq " + events.size());
    assertThat(java.nio.file.Files.size(segment)).isEqualTo(size);
  }

  @Test
  void aDirectoryWithoutALogIsAnError(@TempDir Path empty) {
    CliRun run = CliRun.of("replay", "--data", empty.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no event log in");
  }

  private int seqOf(String kind) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) instanceof WatchEvent event && event.kind().equals(kind)) {
        return i + 1;
      }
    }
    throw new AssertionError("no " + kind);
  }

  private static String withoutComments(String text) {
    StringBuilder out = new StringBuilder();
    text.lines().filter(l -> !l.startsWith("# ")).forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }
}
