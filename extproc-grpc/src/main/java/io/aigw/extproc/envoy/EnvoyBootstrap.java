package io.aigw.extproc.envoy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An Envoy v3 bootstrap (JSON, which {@code envoy -c} reads as YAML) that mirrors what Envoy
 * Gateway builds from aigw's generated resources, for trying aigw end to end on one machine: a
 * listener whose HTTP connection manager runs the router-level ext_proc filter (request headers
 * SEND, request body BUFFERED, response headers SEND, response body BUFFERED, mode override
 * allowed, metadata namespace {@code io.envoy.ai_gateway}) against the local ExtProc; one route per
 * rule of the generated HTTPRoutes ({@link EnvoyGatewayRoutes}), matched on {@code
 * x-ai-eg-selected-backend} (and {@code x-aigw-backend-rule} for a backend's further timeouts) with
 * host rewrite and the rule's timeout; a final 404 route; one cluster per backend endpoint (TLS
 * with SNI on 443) and one HTTP/2 cluster for the ExtProc.
 */
public final class EnvoyBootstrap {

  /**
   * The CAs a provider's certificate must chain to: the system bundle of Envoy's images and of
   * Debian and Ubuntu, as Envoy Gateway uses for a BackendTLSPolicy's system CAs.
   */
  public static final String SYSTEM_CA_FILE = "/etc/ssl/certs/ca-certificates.crt";

  /** Listener and cluster buffer limit: bodies up to 50 MiB, as upstream's data-plane tests. */
  public static final int BUFFER_LIMIT_BYTES = OpenAiJson.MAX_BODY_BYTES;

  static final String EXTPROC_CLUSTER = "aigw-extproc";

  /** The messages the bootstrap packs into {@code typed_config} and protocol options. */
  private static final JsonFormat.TypeRegistry TYPED_CONFIGS =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(ExternalProcessor.getDescriptor())
          .add(Router.getDescriptor())
          .add(UpstreamTlsContext.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .build();

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EnvoyBootstrap() {}

  /**
   * The bootstrap for {@code configs}.
   *
   * @param routes the routes to the backends, in the order Envoy tries them
   * @param endpoints every backend's address, by backend name ({@code <backend>.<namespace>})
   * @param listenHost the address Envoy listens on: 127.0.0.1 keeps the gateway, which adds the
   *     backends' credentials to what it forwards, to this machine
   * @param listenPort where clients connect (10000 by convention)
   * @param extprocPort where the ExtProc listens on 127.0.0.1 (1063)
   * @throws IllegalArgumentException when a backend of the configs has no endpoint
   */
  public static String render(
      List<FilterConfig> configs,
      List<BackendRoute> routes,
      Map<String, BackendEndpoint> endpoints,
      String listenHost,
      int listenPort,
      int extprocPort) {
    // Envoy sends the processor only the dynamic metadata of the namespaces its filter lists
    SortedSet<String> forwarded = new TreeSet<>();
    SortedSet<String> names = new TreeSet<>();
    for (FilterConfig config : configs) {
      forwarded.addAll(config.metadataNamespacesRead());
      config.backends().forEach(backend -> names.add(backend.name()));
    }
    routes.forEach(route -> names.add(route.backend()));
    Map<String, BackendEndpoint> backends = new TreeMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      BackendEndpoint endpoint = endpoints.get(name);
      if (endpoint == null) {
        missing.add(name);
      } else {
        backends.put(name, endpoint);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no endpoint for backends " + missing);
    }
    ObjectNode root = NODES.objectNode();
    root.set("admin", admin());
    ObjectNode resources = root.putObject("static_resources");
    resources.putArray("listeners").add(listener(routes, forwarded, listenHost, listenPort));
    ArrayNode clusters = resources.putArray("clusters");
    clusters.add(extprocCluster(extprocPort));
    backends.forEach((name, endpoint) -> clusters.add(backendCluster(name, endpoint)));
    String json;
    try {
      json = JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      parse(json);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "the bootstrap is not one Envoy accepts: " + e.getMessage(), e);
    }
    return json;
  }

  /**
   * Reads a bootstrap into Envoy's own message classes, which refuse any field or typed config
   * Envoy would not know; {@link #render} checks what it prints this way.
   *
   * @throws InvalidProtocolBufferException naming what Envoy would refuse
   */
  public static Bootstrap parse(String json) throws InvalidProtocolBufferException {
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TYPED_CONFIGS).merge(json, bootstrap);
    return bootstrap.build();
  }

  /** The HTTP connection manager of the listener {@link #render} writes. */
  public static HttpConnectionManager connectionManager(Bootstrap bootstrap)
      throws InvalidProtocolBufferException {
    return bootstrap
        .getStaticResources()
        .getListeners(0)
        .getFilterChains(0)
        .getFilters(0)
        .getTypedConfig()
        .unpack(HttpConnectionManager.class);
  }

  /** The ext_proc filter {@link #render} puts first on that listener. */
  public static ExternalProcessor extProcFilter(Bootstrap bootstrap)
      throws InvalidProtocolBufferException {
    return connectionManager(bootstrap)
        .getHttpFilters(0)
        .getTypedConfig()
        .unpack(ExternalProcessor.class);
  }

  /** The cluster name of a backend. */
  public static String clusterName(String backend) {
    return "aigw-backend-" + backend;
  }

  private static ObjectNode admin() {
    ObjectNode admin = NODES.objectNode();
    admin.set("address", socket("127.0.0.1", 9901));
    return admin;
  }

  private static ObjectNode socket(String host, int port) {
    ObjectNode address = NODES.objectNode();
    ObjectNode socket = address.putObject("socket_address");
    socket.put("address", host);
    socket.put("port_value", port);
    return address;
  }

  private static ObjectNode typed(String type) {
    ObjectNode node = NODES.objectNode();
    node.put("@type", "type.googleapis.com/" + type);
    return node;
  }

  private static ObjectNode listener(
      List<BackendRoute> backendRoutes, SortedSet<String> forwarded, String host, int port) {
    ObjectNode listener = NODES.objectNode();
    listener.put("name", "aigw");
    listener.set("address", socket(host, port));
    listener.put("per_connection_buffer_limit_bytes", BUFFER_LIMIT_BYTES);
    ObjectNode hcm =
        typed("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
    hcm.put("stat_prefix", "aigw");
    hcm.set("route_config", routes(backendRoutes));
    ArrayNode filters = hcm.putArray("http_filters");
    filters.add(extProcFilter(forwarded));
    ObjectNode router = filters.addObject();
    router.put("name", "envoy.filters.http.router");
    router.set("typed_config", typed("envoy.extensions.filters.http.router.v3.Router"));
    ObjectNode network = NODES.objectNode();
    network.put("name", "envoy.filters.network.http_connection_manager");
    network.set("typed_config", hcm);
    listener.putArray("filter_chains").addObject().putArray("filters").add(network);
    return listener;
  }

  private static ObjectNode extProcFilter(SortedSet<String> forwarded) {
    ObjectNode config = typed("envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor");
    ObjectNode grpc = config.putObject("grpc_service");
    grpc.putObject("envoy_grpc").put("cluster_name", EXTPROC_CLUSTER);
    grpc.put("timeout", "30s");
    ObjectNode mode = config.putObject("processing_mode");
    mode.put("request_header_mode", "SEND");
    mode.put("request_body_mode", "BUFFERED");
    mode.put("request_trailer_mode", "SKIP");
    mode.put("response_header_mode", "SEND");
    mode.put("response_body_mode", "BUFFERED");
    mode.put("response_trailer_mode", "SKIP");
    config.put("allow_mode_override", true);
    config.put("failure_mode_allow", false);
    config.put("message_timeout", "60s");
    ObjectNode metadata = config.putObject("metadata_options");
    if (!forwarded.isEmpty()) {
      ArrayNode untyped = metadata.putObject("forwarding_namespaces").putArray("untyped");
      forwarded.forEach(untyped::add);
    }
    metadata
        .putObject("receiving_namespaces")
        .putArray("untyped")
        .add(FilterConfig.METADATA_NAMESPACE);
    ObjectNode filter = NODES.objectNode();
    filter.put("name", "envoy.filters.http.ext_proc");
    filter.set("typed_config", config);
    return filter;
  }

  private static ObjectNode routes(List<BackendRoute> backendRoutes) {
    ObjectNode routeConfig = NODES.objectNode();
    routeConfig.put("name", "aigw");
    ObjectNode host = routeConfig.putArray("virtual_hosts").addObject();
    host.put("name", "aigw");
    host.putArray("domains").add("*");
    ArrayNode routes = host.putArray("routes");
    for (BackendRoute backendRoute : backendRoutes) {
      ObjectNode route = routes.addObject();
      route.put(
          "name", backendRoute.backend() + backendRoute.backendRule().map(r -> "/" + r).orElse(""));
      ObjectNode match = route.putObject("match");
      match.put("prefix", "/");
      ArrayNode headers = match.putArray("headers");
      backendRoute
          .headers()
          .forEach(
              (name, value) -> {
                ObjectNode header = headers.addObject();
                header.put("name", name);
                header.putObject("string_match").put("exact", value);
              });
      if (backendRoute.backendRule().isPresent()) {
        // as the generated HTTPRoute's RequestHeaderModifier: once routed, it is the gateway's own
        route.putArray("request_headers_to_remove").add(FilterConfig.BACKEND_RULE_HEADER);
      }
      ObjectNode action = route.putObject("route");
      action.put("cluster", clusterName(backendRoute.backend()));
      action.put("auto_host_rewrite", true);
      backendRoute.timeout().ifPresent(t -> action.put("timeout", protoDuration(t)));
    }
    ObjectNode notFound = routes.addObject();
    notFound.put("name", "route-not-found");
    // every path, whatever the root prefix: the filter runs on every request here, so this
    // answers only what the ExtProc routed to a backend the bootstrap has no route for, whose path
    // is by then the provider's
    notFound.putObject("match").put("prefix", "/");
    ObjectNode direct = notFound.putObject("direct_response");
    direct.put("status", 404);
    direct
        .putObject("body")
        .put(
            "inline_string",
            "No matching route found: the ExtProc selected a backend this bootstrap has no route"
                + " for.");
    return routeConfig;
  }

  /**
   * A duration as protobuf's JSON writes one: seconds, with the fraction only when there is one.
   */
  private static String protoDuration(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
  }

  private static ObjectNode extprocCluster(int port) {
    ObjectNode cluster = cluster(EXTPROC_CLUSTER, "STATIC", "127.0.0.1", port);
    cluster.put("per_connection_buffer_limit_bytes", BUFFER_LIMIT_BYTES);
    ObjectNode options = typed("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    options.putObject("explicit_http_config").putObject("http2_protocol_options");
    cluster
        .putObject("typed_extension_protocol_options")
        .set("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", options);
    return cluster;
  }

  private static ObjectNode backendCluster(String name, BackendEndpoint endpoint) {
    ObjectNode cluster =
        cluster(
            clusterName(name),
            endpoint.isIpLiteral() ? "STATIC" : "STRICT_DNS",
            endpoint.host(),
            endpoint.port());
    cluster.put("per_connection_buffer_limit_bytes", BUFFER_LIMIT_BYTES);
    if (!endpoint.isIpLiteral()) {
      cluster.put("dns_lookup_family", "V4_PREFERRED");
    }
    if (endpoint.tls()) {
      ObjectNode tls = typed("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext");
      tls.put("sni", endpoint.host());
      // the requests carry the backends' credentials: only the provider's own certificate, signed
      // by a CA the system trusts and naming the host, may see them
      ObjectNode validation = tls.putObject("common_tls_context").putObject("validation_context");
      validation.putObject("trusted_ca").put("filename", SYSTEM_CA_FILE);
      ObjectNode san = validation.putArray("match_typed_subject_alt_names").addObject();
      san.put("san_type", "DNS");
      san.putObject("matcher").put("exact", endpoint.host());
      ObjectNode socket = cluster.putObject("transport_socket");
      socket.put("name", "envoy.transport_sockets.tls");
      socket.set("typed_config", tls);
    }
    return cluster;
  }

  private static ObjectNode cluster(String name, String type, String host, int port) {
    ObjectNode cluster = NODES.objectNode();
    cluster.put("name", name);
    cluster.put("type", type);
    cluster.put("connect_timeout", "10s");
    ObjectNode assignment = cluster.putObject("load_assignment");
    assignment.put("cluster_name", name);
    assignment
        .putArray("endpoints")
        .addObject()
        .putArray("lb_endpoints")
        .addObject()
        .putObject("endpoint")
        .set("address", socket(host, port));
    return cluster;
  }
}
