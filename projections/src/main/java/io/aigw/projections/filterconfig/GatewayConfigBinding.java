package io.aigw.projections.filterconfig;

import io.aigw.core.model.GatewayConfig;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The GatewayConfig a route follows: that of its first parent Gateway whose {@code
 * aigateway.envoyproxy.io/gateway-config} annotation names one. A route has one ExtProc whichever
 * Gateway a request came through, so it cannot follow two.
 *
 * @param config the GatewayConfig in effect; empty when no parent names one, or the one named does
 *     not exist or was never valid
 * @param containerConfig {@code config} when it is in the route's namespace, whose ExtProc it may
 *     then shape: one in another namespace would choose the image, and the Secrets read, of pods in
 *     this one, which its authors may have no right to
 * @param problems what the route's status says: a GatewayConfig named but missing, other parents
 *     naming another one, one of another namespace whose container settings it does not get
 * @param seqs the seqs of the Gateways whose annotations shaped it (as of the version that named
 *     the GatewayConfig) and of the GatewayConfig
 */
public record GatewayConfigBinding(
    Optional<Versioned<GatewayConfig>> config,
    Optional<Versioned<GatewayConfig>> containerConfig,
    List<String> problems,
    SortedSet<Long> seqs) {

  public static final GatewayConfigBinding NONE =
      new GatewayConfigBinding(Optional.empty(), Optional.empty(), List.of(), new TreeSet<>());

  public GatewayConfigBinding {
    problems = List.copyOf(problems);
    seqs = Collections.unmodifiableSortedSet(new TreeSet<>(seqs));
  }
}
