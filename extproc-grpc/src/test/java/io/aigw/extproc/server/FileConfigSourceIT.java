package io.aigw.extproc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.extproc.processor.Exchanges;
import io.vertx.core.Vertx;
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

  @Test
  void reloadsOnChangeAndKeepsTheLastGoodConfigOnABadFile() throws Exception {
    Path file = dir.resolve("filter-config.yaml");
    FilterConfig chat = Exchanges.chatRoute();
    Files.writeString(file, FilterConfigCodec.toYaml(chat));
    FileConfigSource source = FileConfigSource.watch(vertx, file, 50, this::sink).await();
    try {
      assertThat(applied).hasSize(1);
      assertThat(applied.get(0)).containsExactly(chat);
      String digest = source.appliedDigest();

      Files.writeString(file, "version: [unclosed");
      FilterConfig other =
          FilterConfig.of("ns", "other", List.of(), List.of(), List.of(), List.of(), List.of());
      FilterConfig bad =
          FilterConfig.of("ns", "bad", List.of(), List.of(), List.of(), List.of(), List.of());
      await().atMost(Duration.ofSeconds(20)).until(() -> !source.lastProblems().isEmpty());
      assertThat(source.lastProblems().get(0)).contains("line");
      Files.writeString(
          file,
          "---\n" + FilterConfigCodec.toYaml(bad) + "---\n" + FilterConfigCodec.toYaml(other));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> source.lastProblems().equals(List.of("bad route ns/bad")));
      assertThat(applied).hasSize(1);
      assertThat(source.appliedDigest()).isEqualTo(digest);

      String list =
          "- " + FilterConfigCodec.toJson(chat) + "\n- " + FilterConfigCodec.toJson(other) + "\n";
      Files.writeString(file, list);
      await().atMost(Duration.ofSeconds(20)).until(() -> applied.size() == 2);
      assertThat(applied.get(1)).containsExactly(chat, other);
      assertThat(source.appliedDigest()).isNotEqualTo(digest);
      assertThat(source.lastProblems()).isEmpty();
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
  }
}
