package io.aigw.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledExamplesTest {

  @TempDir Path data;

  @Test
  void theFirstStartExtractsEveryExample() throws IOException {
    Path examples = BundledExamples.extractTo(data.resolve("examples"));

    assertThat(files(examples)).isEqualTo(BundledExamples.names()).contains("openai.yaml");
    assertThat(files(data)).containsExactly("examples");
  }

  @Test
  void aLaterStartKeepsWhatTheUserDeletedAndEdited() throws IOException {
    Path examples = BundledExamples.extractTo(data.resolve("examples"));
    Files.delete(examples.resolve("openai.yaml"));
    String first =
        BundledExamples.names().stream()
            .filter(n -> !n.equals("openai.yaml"))
            .findFirst()
            .orElseThrow();
    Files.writeString(examples.resolve(first), "# mine\n");

    BundledExamples.extractTo(data.resolve("examples"));

    assertThat(examples.resolve("openai.yaml")).doesNotExist();
    assertThat(examples.resolve(first)).hasContent("# mine");
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
