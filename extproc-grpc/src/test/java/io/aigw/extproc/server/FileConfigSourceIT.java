package io.aigw.extproc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.extproc.processor.Exchanges;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConfigSourceIT {

  @TempDir Path dir;
  private Vertx vertx;
  private final List<List<FilterConfig>> applied = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private List<String> sink(List<FilterConfig> configs) {
    List<String> problems = new ArrayList<>();
    configs.forEach(
        c -> {
          if (c.routeName().startsWith("bad")) problems.add("bad route " + c.routeRef());
        });
    if (problems.isEmpty()) {
      applied.add(configs);
    }
    return problems;
  }

  /**
   * Serves the chat route from {@code filter-config.yaml}, polled only when the test asks so that
   * every read sees the content the test chose.
   */
  private FileConfigSource chatRoutePolledByHand(Path file) throws IOException {
    Files.writeString(file, FilterConfigCodec.toYaml(Exchanges.chatRoute()));
    return FileConfigSource.watch(vertx, file, Duration.ofHours(1).toMillis(), this::sink).await();
  }

  /** Two reads: a new content is applied only once two polls in a row agree on it. */
  private static void pollTwice(FileConfigSource source) {
    source.poll().await();
    source.poll().await();
  }

  @Test
  void reloadsOnChangeAndKeepsTheLastGoodConfigOnABadFile() throws Exception {
    Path file = dir.resolve("filter-config.yaml");
    FilterConfig chat = Exchanges.chatRoute();
    FileConfigSource source = chatRoutePolledByHand(file);
    try {
      assertThat(applied).hasSize(1);
      assertThat(applied.get(0)).containsExactly(chat);
      String digest = source.appliedDigest();

      Files.writeString(file, "version: [unclosed");
      pollTwice(source);
      assertThat(source.lastProblems()).hasSize(1);
      assertThat(source.lastProblems().get(0)).contains("line");

      FilterConfig other =
          FilterConfig.of("ns", "other", List.of(), List.of(), List.of(), List.of(), List.of());
      FilterConfig bad =
          FilterConfig.of("ns", "bad", List.of(), List.of(), List.of(), List.of(), List.of());
      Files.writeString(
          file,
          "---\n" + FilterConfigCodec.toYaml(bad) + "---\n" + FilterConfigCodec.toYaml(other));
      pollTwice(source);
      assertThat(source.lastProblems()).containsExactly("bad route ns/bad");
      assertThat(applied).hasSize(1);
      assertThat(source.appliedDigest()).isEqualTo(digest);

      String list =
          "- " + FilterConfigCodec.toJson(chat) + "\n- " + FilterConfigCodec.toJson(other) + "\n";
      Files.writeString(file, list);
      pollTwice(source);
      assertThat(applied).hasSize(2);
      assertThat(applied.get(1)).containsExactly(chat, other);
      assertThat(source.appliedDigest()).isNotEqualTo(digest);
      assertThat(source.lastProblems()).isEmpty();
    } finally {
      source.close();
    }
  }

  @Test
  void aFileReadMidRewriteIsNotAppliedAndTheFinishedOneIs() throws Exception {
    Path file = dir.resolve("filter-config.yaml");
    FilterConfig chat = Exchanges.chatRoute();
    FileConfigSource source = chatRoutePolledByHand(file);
    try {
      String digest = source.appliedDigest();
      // What a poll sees between the truncation and the write of an in-place rewrite.
      Files.writeString(file, "");
      source.poll().await();
      assertThat(applied).hasSize(1);
      assertThat(source.appliedDigest()).isEqualTo(digest);

      FilterConfig other =
          FilterConfig.of("ns", "other", List.of(), List.of(), List.of(), List.of(), List.of());
      Files.writeString(file, FilterConfigCodec.toYaml(other));
      source.poll().await();
      assertThat(applied).as("one read of a new content is not yet trusted").hasSize(1);
      source.poll().await();
      assertThat(applied).hasSize(2);
      assertThat(applied.get(1)).containsExactly(other);
    } finally {
      source.close();
    }
  }

  @Test
  void aMissingFileIsRetriedUntilItAppears() throws Exception {
    Path file = dir.resolve("later.yaml");
    FileConfigSource source = FileConfigSource.watch(vertx, file, 50, this::sink).await();
    try {
      assertThat(applied).isEmpty();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> source.lastProblems().equals(List.of("unreadable: no such file")));
      Files.writeString(file, FilterConfigCodec.toYaml(Exchanges.chatRoute()));
      await().atMost(Duration.ofSeconds(20)).until(() -> applied.size() == 1);
    } finally {
      source.close();
    }
  }

  @Test
  void parsesOneConfigAListOrSeveralDocumentsAndRefusesOtherVersions() {
    String one = FilterConfigCodec.toYaml(Exchanges.chatRoute());
    assertThat(FileConfigSource.parse(one)).hasSize(1);
    assertThat(FileConfigSource.parse(one + "---\n" + one)).hasSize(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FileConfigSource.parse(one.replace(FilterConfig.VERSION, "v0")))
        .isInstanceOf(IllegalArgumentException.class);
    for (String empty : List.of("", "---\n---\n", "# nothing yet\n", "[]")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileConfigSource.parse(empty))
          .as("'%s'", empty)
          .hasMessage("the file holds no filter config");
    }
  }

  @Test
  void aFileLeftEmptyKeepsTheLastGoodConfig() throws Exception {
    Path file = dir.resolve("filter-config.yaml");
    FileConfigSource source = chatRoutePolledByHand(file);
    try {
      String digest = source.appliedDigest();
      Files.writeString(file, "");
      for (int poll = 0; poll < 3; poll++) {
        source.poll().await();
      }
      assertThat(applied).hasSize(1);
      assertThat(source.appliedDigest()).isEqualTo(digest);
    } finally {
      source.close();
    }
  }
}
