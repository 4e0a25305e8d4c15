package io.aigw.admin.server;

import io.aigw.admin.api.RestoreTarget;
import io.aigw.core.log.EventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the admin server reads and drives: the log (whose commits must be published on the event bus
 * by a {@link io.aigw.core.log.LogPublisher}, as every run mode does), the live gateway projection
 * host, a fresh instance of the same projection for shadow replays (built with the same settings,
 * or the replay will not equal the live state), where restores go, and the process's Prometheus
 * text.
 */
public record AdminSources(
    EventLog log,
    ProjectionHost<GatewayState> host,
    Projection<GatewayState> projection,
    RestoreTarget restore,
    Supplier<String> metrics) {

  public AdminSources {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(projection, "projection");
    Objects.requireNonNull(restore, "restore");
    Objects.requireNonNull(metrics, "metrics");
  }
}
