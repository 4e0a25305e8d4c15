package io.aigw.admin.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DashboardAssetsTest {

  @Test
  void everyFileOfTheDashboardIsServed() throws Exception {
    assertThat(DashboardAssets.FILES).containsExactlyInAnyOrderElementsOf(filesUnderTheRoot());
    DashboardAssets.load();
  }

  private static java.util.List<String> filesUnderTheRoot()
      throws URISyntaxException, java.io.IOException {
    Path root =
        Path.of(DashboardAssets.class.getClassLoader().getResource(DashboardAssets.ROOT).toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> root.relativize(file).toString())
          .toList();
    }
  }
}
