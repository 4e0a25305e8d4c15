package io.aigw.projections.desired;

import java.util.Objects;

/**
 * How the generated ExtProc Deployments run: the image (the project's own), its pull policy, the
 * log level passed as {@code AIGW_LOG_LEVEL}, and the container's CPU and memory.
 */
public record ExtProcSettings(
    String image, String pullPolicy, String logLevel, ExtProcResources resources) {

  /** The image of this release. */
  public static final String DEFAULT_IMAGE = "ghcr.io/aigw/aigw:0.1.0";

  public static final ExtProcSettings DEFAULT =
      new ExtProcSettings(DEFAULT_IMAGE, "IfNotPresent", "info");

  public ExtProcSettings {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(pullPolicy, "pullPolicy");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(resources, "resources");
  }

  /** No CPU or memory set on the container. */
  public ExtProcSettings(String image, String pullPolicy, String logLevel) {
    this(image, pullPolicy, logLevel, ExtProcResources.NONE);
  }
}
