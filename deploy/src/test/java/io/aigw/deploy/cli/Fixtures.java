package io.aigw.deploy.cli;

import java.nio.file.Path;

/** Paths of the shared upstream fixtures and the bundled examples. */
final class Fixtures {

  private Fixtures() {}

  static Path root() {
    return Path.of(System.getProperty("aigw.root", "..")).toAbsolutePath().normalize();
  }

  static Path upstream(String relative) {
    return root().resolve("../shared/fixtures/upstream").resolve(relative).normalize();
  }

  static Path examples() {
    return root().resolve("examples");
  }
}
