package io.aigw.projections.desired;

import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.model.gateway.Deployment;
import java.util.List;
import java.util.Objects;

/**
 * How the generated ExtProc Deployments run: the image (the project's own), its pull policy, the
 * log level passed as {@code AIGW_LOG_LEVEL}, the container's CPU and memory, how long its event
 * loops poll for I/O before they sleep ({@code aigw extproc --busy-poll}, 0 for not at all), and
 * the ServiceAccount of its pods in each route's namespace (empty: the namespace's {@code
 * default}), whose IRSA or EKS Pod Identity role is how an AWS policy without credentials of its
 * own reaches Bedrock, the Secrets in each route's namespace the image is pulled with (a private
 * registry), the container's further variables (the {@code OTEL_*} ones that turn on tracing, say),
 * after aigw's own, and where the ExtProc serves the APIs (the controller's root and endpoint
 * prefixes, which the generated HTTPRoute's catch-all rule matches as well).
 */
public record ExtProcSettings(
    String image,
    String pullPolicy,
    String logLevel,
    ExtProcResources resources,
    int busyPollMicros,
    String serviceAccount,
    List<String> imagePullSecrets,
    List<Deployment.EnvVar> env,
    ApiPaths apiPaths) {

  /** The longest window {@code aigw extproc --busy-poll} takes. */
  public static final int MAX_BUSY_POLL_MICROS = 1_000_000;

  /** The image of this release. */
  public static final String DEFAULT_IMAGE = "ghcr.io/aigw/aigw:0.1.0";

  public static final ExtProcSettings DEFAULT =
      new ExtProcSettings(DEFAULT_IMAGE, "IfNotPresent", "info");

  public ExtProcSettings {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(pullPolicy, "pullPolicy");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    imagePullSecrets = List.copyOf(imagePullSecrets);
    env = List.copyOf(env);
    Objects.requireNonNull(apiPaths, "apiPaths");
    busyPollWindow(busyPollMicros);
  }

  /** These settings with the APIs served at {@code paths}. */
  public ExtProcSettings withApiPaths(ApiPaths paths) {
    return new ExtProcSettings(
        image,
        pullPolicy,
        logLevel,
        resources,
        busyPollMicros,
        serviceAccount,
        imagePullSecrets,
        env,
        paths);
  }

  /** The image is pulled without a Secret, the container gets aigw's variables only. */
  public ExtProcSettings(
      String image,
      String pullPolicy,
      String logLevel,
      ExtProcResources resources,
      int busyPollMicros,
      String serviceAccount) {
    this(
        image,
        pullPolicy,
        logLevel,
        resources,
        busyPollMicros,
        serviceAccount,
        List.of(),
        List.of(),
        ApiPaths.DEFAULT);
  }

  /** The pods run as the namespace's {@code default} ServiceAccount. */
  public ExtProcSettings(
      String image,
      String pullPolicy,
      String logLevel,
      ExtProcResources resources,
      int busyPollMicros) {
    this(image, pullPolicy, logLevel, resources, busyPollMicros, "");
  }

  /**
   * {@code micros} as a busy-poll window; the one check that the setting, the flag and this record
   * share.
   *
   * @throws IllegalArgumentException outside 0 to {@link #MAX_BUSY_POLL_MICROS}
   */
  public static int busyPollWindow(long micros) {
    if (micros < 0 || micros > MAX_BUSY_POLL_MICROS) {
      throw new IllegalArgumentException(
          "busy-poll window must be between 0 and "
              + MAX_BUSY_POLL_MICROS
              + " microseconds, got "
              + micros);
    }
    return (int) micros;
  }

  /** No CPU or memory set on the container, no busy polling. */
  public ExtProcSettings(String image, String pullPolicy, String logLevel) {
    this(image, pullPolicy, logLevel, ExtProcResources.NONE, 0);
  }
}
