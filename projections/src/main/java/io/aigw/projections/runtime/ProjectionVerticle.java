package io.aigw.projections.runtime;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/**
 * Deploys a {@link ProjectionHost}: the deployment completes once the initial replay has caught up,
 * and undeploying stops the host. Build the host first and subscribe to its {@link
 * ProjectionHost#changes()} before deploying to see every live change.
 */
public final class ProjectionVerticle<S> extends VerticleBase {

  private final ProjectionHost<S> host;

  public ProjectionVerticle(ProjectionHost<S> host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  public ProjectionHost<S> host() {
    return host;
  }

  @Override
  public Future<?> start() {
    return host.start(vertx);
  }

  @Override
  public Future<?> stop() {
    return host.close();
  }
}
