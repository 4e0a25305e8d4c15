package io.aigw.deploy.run;

import io.aigw.projections.desired.ExtProcSettings;
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
    ExtProcSettings extProc,
    Optional<Path> adminTokenFile) {

  public StandaloneOptions(
      Path directory,
      Path dataDirectory,
      int extprocPort,
      int adminPort,
      boolean fsync,
      ExtProcSettings extProc) {
    this(directory, dataDirectory, extprocPort, adminPort, fsync, extProc, Optional.empty());
  }
}
