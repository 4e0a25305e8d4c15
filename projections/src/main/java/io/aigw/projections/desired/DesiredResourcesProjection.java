package io.aigw.projections.desired;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SeqSet;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.BackendObjectReference;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.core.model.gateway.ConfigMap;
import io.aigw.core.model.gateway.Deployment;
import io.aigw.core.model.gateway.EnvoyExtensionPolicy;
import io.aigw.core.model.gateway.GeneratedMetadata;
import io.aigw.core.model.gateway.HTTPRoute;
import io.aigw.core.model.gateway.HTTPRouteFilter;
import io.aigw.core.model.gateway.Names;
import io.aigw.core.model.gateway.Service;
import io.aigw.projections.filterconfig.RouteResolution;
import io.aigw.projections.filterconfig.RouteResolution.ResolvedBackend;
import io.aigw.projections.filterconfig.RouteResolution.SecretMount;
import io.aigw.projections.filterconfig.Versioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The objects one AIGatewayRoute {@code R} in namespace {@code N} needs (the seed design, names as
 * upstream v0.1.0):
 *
 * <ul>
 *   <li>HTTPRoute {@code R}: R's parentRefs and hostnames; one rule per distinct AIServiceBackend
 *       matching {@code x-ai-eg-selected-backend: <backend>.<ns>} on any path (a regular
 *       expression, which outranks other routes' prefixes), routing to the backend's {@code
 *       backendRef} through the host-rewrite filter, with the timeouts of the first rule naming it,
 *       and one per other set of timeouts R's rules give the backend, matching also {@code
 *       x-aigw-backend-rule: <request>[/<backendRequest>]} (and removing it before the request goes
 *       upstream); last, rule {@code route-not-found} answering 404 for whatever the ExtProc did
 *       not route under the root prefix (upstream's {@code -rootPrefix}, {@code /} by default), and
 *       for a request it routed to a backend without a rule here.
 *   <li>HTTPRouteFilters {@code ai-eg-host-rewrite-R} and {@code ai-eg-route-not-found-response-R}
 *       (one per route rather than v0.1.0's shared {@code ai-eg-host-rewrite}, so each can be owned
 *       by, and garbage-collected with, its route).
 *   <li>EnvoyExtensionPolicy {@code ai-eg-route-extproc-R} targeting the HTTPRoute {@code R} (not
 *       the Gateway, which made every route of a Gateway go through one route's ExtProc upstream).
 *   <li>ConfigMap, Deployment and Service {@code ai-eg-route-extproc-R}: the filter config, the
 *       ExtProc pods (mounting the config and the Secrets R's policies name; a config-hash
 *       annotation that changes exactly when the config does), and their gRPC Service on 1063.
 * </ul>
 *
 * <p>Every object carries {@code app.kubernetes.io/managed-by: aigw} and a controller owner
 * reference to R, so deleting R deletes them.
 */
public final class DesiredResourcesProjection {

  private static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final String CONFIG_VOLUME = "config";
  private static final String TMP_VOLUME = "tmp";

  static final int SHUTDOWN_DELAY_SECONDS = 5;

  /**
   * The shutdown delay (5 s), the ExtProc's 25 s for the streams in flight to end, 5 s more for the
   * servers and 10 s for Vert.x to close, and a margin: the kubelet's default 30 s killed it while
   * it drained.
   */
  static final long TERMINATION_GRACE_SECONDS = 50;

  /** Vert.x's file cache and the JVM's temporary files; the ExtProc writes little else. */
  private static final String TMP_SIZE = "64Mi";

  private static final String CONTAINER = "extproc";

  // one instance of each group: the output maps compare keys on every update, and a string that
  // every key shares stays in the CPU cache
  private static final String HTTPROUTE_GROUP = ObjectKey.groupOf(HTTPRoute.API_VERSION);
  private static final String FILTER_GROUP = ObjectKey.groupOf(HTTPRouteFilter.API_VERSION);
  private static final String POLICY_GROUP = ObjectKey.groupOf(EnvoyExtensionPolicy.API_VERSION);
  private static final String CONFIG_MAP_GROUP = ObjectKey.groupOf(ConfigMap.API_VERSION);
  private static final String DEPLOYMENT_GROUP = ObjectKey.groupOf(Deployment.API_VERSION);
  private static final String SERVICE_GROUP = ObjectKey.groupOf(Service.API_VERSION);

  private final ExtProcSettings settings;
  // the same for every route: built once, not on every fold
  private final Deployment.Resources containerResources;
  private final List<String> containerArgs;
  private final List<String> containerArgsWithoutBusyPoll;

  public DesiredResourcesProjection() {
    this(ExtProcSettings.DEFAULT);
  }

  public DesiredResourcesProjection(ExtProcSettings settings) {
    this.settings = settings;
    this.containerResources = containerResources(settings.resources());
    this.containerArgs = containerArgs(settings.busyPollMicros());
    this.containerArgsWithoutBusyPoll = containerArgs(0);
  }

  public ExtProcSettings settings() {
    return settings;
  }

  /** The route's objects; each renders its tree lazily (see {@link DesiredResource}). */
  public List<DesiredResource> project(RouteResolution resolution) {
    Versioned<AIGatewayRoute> route = resolution.route();
    // interned: every key of the output map shares it, see KeyOrder
    String ns = route.namespace().intern();
    String r = route.name();
    // three provenances, each shared by the objects it applies to
    SeqSet own = SeqSet.of(List.of(route.seq()));
    SeqSet routed = own.plus(resolution.referenceSeqs());
    List<String> accessible = resolution.config().metadataNamespacesRead();
    // each object's inputs are exactly what its builder reads
    List<DesiredResource> resources = new ArrayList<>(7);
    Collections.addAll(
        resources,
        resource(
            HTTPROUTE_GROUP,
            HTTPRoute.KIND,
            ns,
            r,
            routed,
            List.of(route, resolution.backends()),
            () -> httpRoute(resolution)),
        resource(
            FILTER_GROUP,
            HTTPRouteFilter.KIND,
            ns,
            Names.hostRewriteFilter(r),
            own,
            route,
            () -> hostRewrite(route)),
        resource(
            FILTER_GROUP,
            HTTPRouteFilter.KIND,
            ns,
            Names.routeNotFoundFilter(r),
            own,
            route,
            () -> routeNotFound(route)),
        resource(
            POLICY_GROUP,
            EnvoyExtensionPolicy.KIND,
            ns,
            Names.extProc(r),
            own.plus(resolution.metadataReaderSeqs()),
            List.of(route, accessible),
            () -> extensionPolicy(route, accessible)));
    resources.addAll(extProcObjects(resolution, ns, routed.plus(resolution.credentialSeqs()), own));
    return List.copyOf(resources);
  }

  /** The ExtProc's ConfigMap, Deployment and Service, in that order. */
  private List<DesiredResource> extProcObjects(
      RouteResolution resolution, String ns, SeqSet all, SeqSet own) {
    Versioned<AIGatewayRoute> route = resolution.route();
    String extProc = Names.extProc(route.name());
    // rendered anew by each of the two readers rather than kept: a kept text would outlive every
    // transient render of a kept state (an admin page of a snapshot) and pile up in the old
    // generation, and the text costs ~10 µs to write
    Supplier<RenderedConfig> config =
        () -> RenderedConfig.of(FilterConfigCodec.toYaml(resolution.config()));
    return List.of(
        resource(
            CONFIG_MAP_GROUP,
            ConfigMap.KIND,
            ns,
            extProc,
            all,
            List.of(route, resolution.config()),
            () -> configMap(route, config.get())),
        resource(
            DEPLOYMENT_GROUP,
            Deployment.KIND,
            ns,
            extProc,
            all,
            List.of(
                route,
                resolution.config(),
                resolution.backends(),
                settings,
                resolution.containerConfig()),
            () -> deployment(resolution, config.get())),
        resource(SERVICE_GROUP, Service.KIND, ns, extProc, own, route, () -> service(route)));
  }

  /** The key and the lazily rendered object of one resource; {@code inputs}: all it reads. */
  private static DesiredResource resource(
      String group,
      String kind,
      String namespace,
      String name,
      SeqSet provenance,
      Object inputs,
      Supplier<Object> build) {
    return new DesiredResource(
        new ObjectKey(group, kind, namespace, name), () -> tree(build.get()), provenance, inputs);
  }

  static JsonNode tree(Object value) {
    return CanonicalJson.sorted(CanonicalJson.mapper().valueToTree(value));
  }

  /** The filter config text and its SHA-256, as the ConfigMap and the Deployment carry them. */
  record RenderedConfig(String yaml, String sha256) {
    static RenderedConfig of(String yaml) {
      return new RenderedConfig(yaml, Names.sha256Hex(yaml));
    }
  }

  static GeneratedMetadata metadata(
      Versioned<AIGatewayRoute> route,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations) {
    Map<String, String> allLabels = new HashMap<>(labels);
    allLabels.put(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    var meta = route.resource().metadata();
    var owner =
        GeneratedMetadata.OwnerReference.controllerOf(
            AiResource.V1BETA1, "AIGatewayRoute", meta.name(), meta.uid());
    return new GeneratedMetadata(name, meta.namespace(), allLabels, annotations, List.of(owner));
  }

  /**
   * The path of every rule that takes a request the ExtProc routed. Envoy matches the routes again
   * on the provider's path the ExtProc rewrote the request to, credential included; Envoy Gateway
   * ranks a regular expression above every path prefix (Exact, then RegularExpression, then
   * PathPrefix), so another HTTPRoute of the hostname whose prefix covers a provider's path ({@code
   * /v1}, {@code /model}) does not take the request in place of the backend.
   */
  private static final HTTPRoute.PathMatch ANY_PATH =
      new HTTPRoute.PathMatch("RegularExpression", "/.*");

  static HTTPRoute httpRoute(RouteResolution resolution) {
    Versioned<AIGatewayRoute> route = resolution.route();
    String r = route.name();
    List<HTTPRoute.Rule> rules = new ArrayList<>();
    HTTPRoute.Filter hostRewrite =
        HTTPRoute.Filter.extensionRef(
            HTTPRouteFilter.GROUP, HTTPRouteFilter.KIND, Names.hostRewriteFilter(r));
    // the header that picked the rule is the gateway's business, not the provider's
    HTTPRoute.Filter keepBackendRule =
        HTTPRoute.Filter.removeRequestHeaders(FilterConfig.BACKEND_RULE_HEADER);
    for (ResolvedBackend backend : resolution.backends()) {
      var header =
          new HTTPRoute.HeaderMatch(
              "Exact",
              Names.SELECTED_BACKEND_HEADER,
              Names.backend(backend.backend().name(), backend.backend().namespace()));
      // one rule per set of timeouts the route's rules give the backend: a later one matches on
      // the backend-rule header too, which makes it more specific than the first
      for (int k = 0; k < backend.timeouts().size(); k++) {
        List<HTTPRoute.HeaderMatch> headers =
            k == 0
                ? List.of(header)
                : List.of(
                    header,
                    new HTTPRoute.HeaderMatch(
                        "Exact",
                        FilterConfig.BACKEND_RULE_HEADER,
                        RouteResolution.backendRuleValue(backend.timeouts().get(k))));
        rules.add(
            new HTTPRoute.Rule(
                null,
                List.of(new HTTPRoute.Match(ANY_PATH, headers)),
                k == 0 ? List.of(hostRewrite) : List.of(keepBackendRule, hostRewrite),
                List.of(backendRef(route, backend)),
                backend.timeouts().get(k)));
      }
    }
    // the paths under the root prefix, which the hostname's other routes leave to the ExtProc;
    // and a request the ExtProc routed to a backend with no rule here (the HTTPRoute behind its
    // config a moment), which must not reach another route with the backend's credential. The
    // backends' rules come first, so they win the tie with the second match.
    String rootPrefix = resolution.config().apiPaths().rootPrefix();
    rules.add(
        new HTTPRoute.Rule(
            Names.ROUTE_NOT_FOUND_RULE,
            List.of(
                new HTTPRoute.Match(new HTTPRoute.PathMatch("PathPrefix", rootPrefix), List.of()),
                new HTTPRoute.Match(
                    ANY_PATH,
                    List.of(
                        new HTTPRoute.HeaderMatch(
                            "RegularExpression", Names.SELECTED_BACKEND_HEADER, ".+")))),
            List.of(
                HTTPRoute.Filter.extensionRef(
                    HTTPRouteFilter.GROUP, HTTPRouteFilter.KIND, Names.routeNotFoundFilter(r))),
            List.of(),
            null));
    var spec = route.resource().spec();
    Map<String, String> annotations = new TreeMap<>(route.resource().metadata().annotations());
    annotations.remove(LAST_APPLIED);
    annotations.put(Names.GENERATED_ANNOTATION, "true");
    return HTTPRoute.of(
        metadata(route, r, route.resource().metadata().labels(), annotations),
        new HTTPRoute.Spec(spec.parentRefs(), spec.hostnames(), rules));
  }

  private static HTTPRoute.BackendRef backendRef(
      Versioned<AIGatewayRoute> route, ResolvedBackend backend) {
    BackendObjectReference ref = backend.backend().resource().spec().backendRef();
    String namespace = ref.namespace();
    if ((namespace == null || namespace.isEmpty())
        && !backend.backend().namespace().equals(route.namespace())) {
      namespace = backend.backend().namespace();
    }
    return new HTTPRoute.BackendRef(
        ref.group(), ref.kind(), ref.name(), namespace, ref.port(), null);
  }

  static HTTPRouteFilter hostRewrite(Versioned<AIGatewayRoute> route) {
    return HTTPRouteFilter.of(
        metadata(route, Names.hostRewriteFilter(route.name()), Map.of(), Map.of()),
        HTTPRouteFilter.Spec.hostRewriteToBackend());
  }

  static HTTPRouteFilter routeNotFound(Versioned<AIGatewayRoute> route) {
    return HTTPRouteFilter.of(
        metadata(route, Names.routeNotFoundFilter(route.name()), Map.of(), Map.of()),
        HTTPRouteFilter.Spec.directResponse(404, Names.ROUTE_NOT_FOUND_BODY));
  }

  static EnvoyExtensionPolicy extensionPolicy(
      Versioned<AIGatewayRoute> route, List<String> accessibleNamespaces) {
    String extProc = Names.extProc(route.name());
    var buffered = new EnvoyExtensionPolicy.Mode("Buffered");
    var processor =
        new EnvoyExtensionPolicy.ExtProc(
            List.of(
                new EnvoyExtensionPolicy.BackendRef(
                    extProc, route.namespace(), Names.EXTPROC_PORT)),
            Names.EXTPROC_MESSAGE_TIMEOUT,
            new EnvoyExtensionPolicy.ProcessingMode(buffered, buffered, true),
            new EnvoyExtensionPolicy.ExtProcMetadata(
                accessibleNamespaces, List.of(Names.METADATA_NAMESPACE)));
    var target = new LocalPolicyTargetReference(GATEWAY_API_GROUP, HTTPRoute.KIND, route.name());
    return EnvoyExtensionPolicy.of(
        metadata(route, extProc, Map.of(), Map.of()),
        new EnvoyExtensionPolicy.Spec(List.of(target), List.of(processor)));
  }

  static ConfigMap configMap(Versioned<AIGatewayRoute> route, RenderedConfig config) {
    return ConfigMap.of(
        metadata(route, Names.extProc(route.name()), Map.of(), Map.of()),
        Map.of(Names.EXTPROC_CONFIG_KEY, config.yaml()));
  }

  Deployment deployment(RouteResolution resolution, RenderedConfig config) {
    Versioned<AIGatewayRoute> route = resolution.route();
    String extProc = Names.extProc(route.name());
    boolean noServiceAccount = settings.serviceAccount().isEmpty();
    Map<String, String> labels =
        Map.of(Names.APP_LABEL, extProc, Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    List<Deployment.Volume> volumes = new ArrayList<>();
    List<Deployment.VolumeMount> mounts = new ArrayList<>();
    volumes.add(Deployment.Volume.ofConfigMap(CONFIG_VOLUME, extProc));
    mounts.add(new Deployment.VolumeMount(CONFIG_VOLUME, Names.EXTPROC_CONFIG_DIR, true));
    Map<String, SecretMount> secrets = new TreeMap<>();
    for (ResolvedBackend backend : resolution.backends()) {
      backend.mount().ifPresent(mount -> secrets.putIfAbsent(mount.volume(), mount));
    }
    for (SecretMount mount : secrets.values()) {
      volumes.add(Deployment.Volume.ofSecret(mount.volume(), mount.secretName()));
      mounts.add(
          new Deployment.VolumeMount(mount.volume(), Names.secretMountPath(mount.volume()), true));
    }
    // the root filesystem is read-only: the JVM's and Vert.x's temporary files go here
    volumes.add(Deployment.Volume.ofEmptyDir(TMP_VOLUME, TMP_SIZE));
    mounts.add(new Deployment.VolumeMount(TMP_VOLUME, "/tmp", false));
    var container = container(resolution, mounts);
    var template =
        new Deployment.PodTemplate(
            new Deployment.PodMetadata(
                labels, Map.of(Names.CONFIG_HASH_ANNOTATION, config.sha256())),
            new Deployment.PodSpec(
                List.of(container),
                volumes,
                false,
                noServiceAccount ? null : settings.serviceAccount(),
                // the ExtProc never calls the API server; a chosen account may need its token
                noServiceAccount ? Boolean.FALSE : null,
                settings.imagePullSecrets().stream()
                    .map(Deployment.LocalObjectReference::new)
                    .toList(),
                Deployment.PodSecurityContext.RESTRICTED,
                TERMINATION_GRACE_SECONDS));
    return Deployment.of(
        metadata(route, extProc, labels, Map.of()),
        new Deployment.Spec(new Deployment.Selector(labels), template));
  }

  /**
   * The ExtProc container: aigw's settings, with what the route's GatewayConfig changes in them
   * ({@link ContainerOverrides}).
   */
  private Deployment.Container container(
      RouteResolution resolution, List<Deployment.VolumeMount> mounts) {
    ContainerOverrides overrides =
        resolution
            .containerConfig()
            .map(gatewayConfig -> ContainerOverrides.of(gatewayConfig.resource(), settings.image()))
            .orElse(ContainerOverrides.NONE);
    return new Deployment.Container(
        CONTAINER,
        overrides.image().orElse(settings.image()),
        settings.pullPolicy(),
        overrides.leavesCpuUnlimited() ? containerArgsWithoutBusyPoll : containerArgs,
        overrides.envOver(containerEnv(settings)),
        List.of(
            new Deployment.ContainerPort(Names.EXTPROC_PORT_NAME, Names.EXTPROC_PORT, "TCP"),
            new Deployment.ContainerPort(
                Names.EXTPROC_ADMIN_PORT_NAME, Names.EXTPROC_ADMIN_PORT, "TCP")),
        mounts,
        // ready once a config is in service; alive while the admin server answers
        Deployment.Probe.httpGet("/readyz", Names.EXTPROC_ADMIN_PORT_NAME),
        Deployment.Probe.httpGet("/healthz", Names.EXTPROC_ADMIN_PORT_NAME),
        overrides.resources().orElse(containerResources),
        overrides
            .securityContext()
            .<Deployment.SecurityContext>map(given -> given)
            .orElse(Deployment.ContainerSecurityContext.RESTRICTED));
  }

  /**
   * {@code aigw extproc} on the projected config file, polling when the settings ask it to. At its
   * stop signal it says it is not ready and serves {@link #SHUTDOWN_DELAY_SECONDS} more, while the
   * endpoint's removal reaches Envoy: closing at once, it refused the streams Envoy still sent it.
   */
  private static List<String> containerArgs(int busyPollMicros) {
    List<String> args = new ArrayList<>(List.of("extproc", "--config", Names.EXTPROC_CONFIG_PATH));
    args.addAll(List.of("--shutdown-delay", Integer.toString(SHUTDOWN_DELAY_SECONDS)));
    if (busyPollMicros > 0) {
      args.addAll(List.of("--busy-poll", Integer.toString(busyPollMicros)));
    }
    return List.copyOf(args);
  }

  /** aigw's own variables, then the operator's, which may not name them again. */
  private static List<Deployment.EnvVar> containerEnv(ExtProcSettings settings) {
    List<Deployment.EnvVar> env = new ArrayList<>();
    env.add(new Deployment.EnvVar("AIGW_LOG_LEVEL", settings.logLevel()));
    env.addAll(settings.env());
    return env;
  }

  /**
   * Requests equal to limits (with both CPU and memory set, the pod is Guaranteed); null when
   * neither is set.
   */
  private static Deployment.Resources containerResources(ExtProcResources resources) {
    Map<String, String> quantities = resources.quantities();
    return resources.isEmpty() ? null : new Deployment.Resources(quantities, quantities);
  }

  /**
   * The ExtProc's Service: gRPC for Envoy, and the admin port, so that a Prometheus ServiceMonitor
   * can scrape {@code /metrics} by the Service (Envoy Gateway uses the gRPC port only).
   */
  static Service service(Versioned<AIGatewayRoute> route) {
    String extProc = Names.extProc(route.name());
    var grpc =
        new Service.Port(
            Names.EXTPROC_PORT_NAME, "TCP", Names.EXTPROC_PORT, Names.EXTPROC_PORT, "grpc");
    var admin =
        new Service.Port(
            Names.EXTPROC_ADMIN_PORT_NAME,
            "TCP",
            Names.EXTPROC_ADMIN_PORT,
            Names.EXTPROC_ADMIN_PORT,
            "http");
    return Service.of(
        metadata(route, extProc, Map.of(Names.APP_LABEL, extProc), Map.of()),
        new Service.Spec(Map.of(Names.APP_LABEL, extProc), List.of(grpc, admin)));
  }
}
