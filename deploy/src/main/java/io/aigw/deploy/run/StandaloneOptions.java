package io.aigw.deploy.run;

import java.nio.file.Path;

/** What {@code aigw run} was asked to do. */
public record StandaloneOptions(
    Path directory,
    Path dataDirectory,
    int extprocPort,
    int adminPort,
    boolean fsync,
    String extProcImage) {}
