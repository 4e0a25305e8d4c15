package io.aigw.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.model.gateway.HTTPRoute;
import io.aigw.deploy.manifest.ManifestFiles;
import io.aigw.extproc.envoy.BackendEndpoint;
import io.aigw.extproc.envoy.EnvoyBootstrap;
import io.aigw.extproc.envoy.EnvoyGatewayRoutes;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.gateway.ExtProcScope;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.WorldObject;
import io.aigw.watchers.directory.ManifestSnapshot;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigw envoy-bootstrap}: an Envoy bootstrap that does locally what Envoy Gateway would do
 * with the generated resources, so {@code aigw run} plus {@code envoy -c} is a gateway on one
 * machine.
 */
@Command(
    name = "envoy-bootstrap",
    description =
        "Print an Envoy v3 bootstrap for the routes in DIR: a listener with the ext_proc filter"
            + " pointing at the local ExtProc, a route and a cluster per backend.")
public final class EnvoyBootstrapCommand implements Callable<Integer> {

  private static final String ENVOY_GATEWAY = "gateway.envoyproxy.io";

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "0..1", description = "Manifests (default: ./examples)")
  Path directory = Path.of("examples");

  @Option(names = "--listen", description = "Port Envoy listens on (default: ${DEFAULT-VALUE})")
  int listen = 10000;

  @Option(
      names = "--listen-host",
      description =
          "Address Envoy listens on (default: ${DEFAULT-VALUE}, this machine only: the gateway"
              + " adds the backends' credentials to what it forwards; 0.0.0.0 for every interface)")
  String listenHost = "127.0.0.1";

  @Option(
      names = "--extproc-port",
      description = "Port of the local ExtProc (default: ${DEFAULT-VALUE})")
  int extprocPort = 1063;

  @Override
  public Integer call() {
    requirePort("--listen", listen);
    requirePort("--extproc-port", extprocPort);
    requireAddress("--listen-host", listenHost);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(directory)) {
      err.println("aigw envoy-bootstrap: " + directory + " is not a directory");
      err.flush();
      return 2;
    }
    ManifestSnapshot snapshot =
        ManifestSnapshot.read(ManifestFiles.expand(List.of(directory)), "envoy-bootstrap");
    // as aigw run would record them; the bootstrap is still printed for what did parse
    for (LogEvent event : snapshot.events()) {
      if (event instanceof SourceError error) {
        err.printf("%s:%d: %s%n", error.file(), error.line(), error.reason());
      }
    }
    // the bootstrap reads routes and backends only: how the ExtProc pods run, and the paths they
    // serve (its filter sees every request), do not matter; and as aigw run serves them, one
    // ExtProc for every route: no route takes another's requests
    GatewayState state =
        TranslateCommand.fold(
            snapshot.events(),
            new GatewayProjection(ExtProcSettings.DEFAULT, ExtProcScope.EVERY_ROUTE));
    for (ResourceStatus status : state.statuses().values()) {
      if (!status.isAccepted()) {
        err.printf("%s: %s%n", status.key(), status.message());
      }
    }
    if (state.filterConfigs().isEmpty()) {
      // still a bootstrap Envoy can start with, but one that answers 404 to everything
      err.println(
          "aigw envoy-bootstrap: no AIGatewayRoute in "
              + directory
              + " was accepted; the bootstrap routes nothing (aigw translate says why)");
      err.flush();
    }
    try {
      out.print(
          EnvoyBootstrap.render(
              List.copyOf(state.filterConfigs().values()),
              EnvoyGatewayRoutes.of(httpRoutes(state)),
              endpoints(state),
              listenHost,
              listen,
              extprocPort));
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("aigw envoy-bootstrap: " + e.getMessage());
      err.println(
          "every AIServiceBackend needs an Envoy Gateway Backend with an fqdn or ip endpoint");
      err.flush();
      return 1;
    }
  }

  /**
   * An IP address, as Envoy's socket address takes it; a host name is refused here, not by Envoy.
   */
  private void requireAddress(String flag, String address) {
    if (!isIpLiteral(address)) {
      throw new ParameterException(
          spec.commandLine(), flag + ": " + address + " is not an IP address (such as 127.0.0.1)");
    }
  }

  static boolean isIpLiteral(String address) {
    if (address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return java.util.Arrays.stream(address.split("\\."))
          .allMatch(o -> Integer.parseInt(o) <= 255);
    }
    if (!address.contains(":") || !address.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      // only hex digits, colons and dots here: getByName parses it, it looks nothing up
      return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Refused with the usage, as picocli refuses a malformed flag: Envoy would refuse it later. */
  private void requirePort(String flag, int port) {
    if (port < 1 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), flag + ": " + port + " is not a port (1-65535)");
    }
  }

  /** The generated HTTPRoutes, by namespace and name (Envoy Gateway ranks equal ones so). */
  static List<JsonNode> httpRoutes(GatewayState state) {
    return state.desired().values().stream()
        .filter(resource -> resource.key().kind().equals(HTTPRoute.KIND))
        .map(DesiredResource::object)
        .toList();
  }

  /** The address of every AIServiceBackend, from the Envoy Gateway Backend it points at. */
  static Map<String, BackendEndpoint> endpoints(GatewayState state) {
    Map<String, BackendEndpoint> endpoints = new TreeMap<>();
    for (WorldObject backend :
        state.world().ofKind("aigateway.envoyproxy.io", "AIServiceBackend")) {
      JsonNode ref = backend.object().path("spec").path("backendRef");
      String namespace = ref.path("namespace").asText(backend.key().namespace());
      ObjectKey target =
          new ObjectKey(ENVOY_GATEWAY, "Backend", namespace, ref.path("name").asText());
      endpoint(state, target)
          .ifPresent(e -> endpoints.put(backend.key().name() + "." + backend.key().namespace(), e));
    }
    return endpoints;
  }

  private static Optional<BackendEndpoint> endpoint(GatewayState state, ObjectKey backendKey) {
    return state
        .world()
        .get(backendKey)
        .map(o -> o.object().path("spec").path("endpoints").path(0))
        .flatMap(
            endpoint -> {
              JsonNode fqdn = endpoint.path("fqdn");
              if (fqdn.has("hostname")) {
                return Optional.of(
                    BackendEndpoint.of(
                        fqdn.path("hostname").asText(), fqdn.path("port").asInt(443)));
              }
              JsonNode ip = endpoint.path("ip");
              if (ip.has("address")) {
                return Optional.of(
                    BackendEndpoint.of(ip.path("address").asText(), ip.path("port").asInt(80)));
              }
              return Optional.empty();
            });
  }
}
