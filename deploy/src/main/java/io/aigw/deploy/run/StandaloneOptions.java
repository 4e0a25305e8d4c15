package io.aigw.deploy.run;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code aigw run} was asked to do. Without a token file the admin tokens are generated at
 * start and printed once.
 */
public record StandaloneOptions(
    Path directory,
    Path dataDirectory,
    int extprocPort,
    int adminPort,
    boolean fsync,
    String extProcImage,
    Optional<Path> adminTokenFile) {

  public StandaloneOptions(
      Path directory,
      Path dataDirectory,
      int extprocPort,
      int adminPort,
      boolean fsync,
      String extProcImage) {
    this(directory, dataDirectory, extprocPort, adminPort, fsync, extProcImage, Optional.empty());
  }
}
