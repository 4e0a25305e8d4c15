package io.aigw.deploy.run;

import io.aigw.admin.tls.TlsFiles;
import io.aigw.projections.desired.ExtProcSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code aigw run} was asked to do. Without a token file the admin tokens are generated at
 * start and printed once. The ExtProc listens on {@code extprocHost}, loopback unless asked: it
 * answers anyone who connects with the request headers that carry the backends' credentials. The
 * admin API and dashboard listen on {@code adminHost}, loopback unless asked too: without {@code
 * adminTls} they speak plain HTTP, so a token sent from another machine crosses the network in
 * clear, and a restore writes files into the watched directory.
 */
public record StandaloneOptions(
    Path directory,
    Path dataDirectory,
    int extprocPort,
    int adminPort,
    boolean fsync,
    ExtProcSettings extProc,
    Optional<Path> adminTokenFile,
    String extprocHost,
    String adminHost,
    Optional<TlsFiles> adminTls) {

  public static final String LOOPBACK = "127.0.0.1";

  public StandaloneOptions(
      Path directory,
      Path dataDirectory,
      int extprocPort,
      int adminPort,
      boolean fsync,
      ExtProcSettings extProc) {
    this(
        directory,
        dataDirectory,
        extprocPort,
        adminPort,
        fsync,
        extProc,
        Optional.empty(),
        LOOPBACK,
        LOOPBACK,
        Optional.empty());
  }
}
