package io.aigw.core.model.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names, labels, annotations, ports and paths of what aigw generates for an AIGatewayRoute. Names
 * follow upstream v0.1.0 ({@code ai-eg-route-extproc-<route>}, …); when a name would exceed what
 * Kubernetes allows for its kind, it is cut and ends in a hash of the full name instead, so it
 * stays unique and deterministic.
 *
 * <p>Generated names are interned: the fold builds them again for every version of a route, and the
 * snapshots a host keeps hold many versions, so one instance per distinct name saves most of what
 * they would take.
 */
public final class Names {

  /** Label every generated object carries; the applier prunes only what has it. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY = "aigw";

  /** Pod selector label of the ExtProc Deployment and Service. */
  public static final String APP_LABEL = "app";

  /** Marks the HTTPRoute as generated from an AIGatewayRoute. */
  public static final String GENERATED_ANNOTATION = "gateway.envoyproxy.io/ai-gateway-generated";

  /** SHA-256 hex of the ExtProc ConfigMap data; pods roll exactly when the config changes. */
  public static final String CONFIG_HASH_ANNOTATION = "aigateway.envoyproxy.io/extproc-config-hash";

  /** The ConfigMap key (and file name) of the filter config. */
  public static final String EXTPROC_CONFIG_KEY = "extproc-config.yaml";

  /** Where the ConfigMap is mounted in the ExtProc container. */
  public static final String EXTPROC_CONFIG_DIR = "/etc/ai-gateway/extproc";

  public static final String EXTPROC_CONFIG_PATH = EXTPROC_CONFIG_DIR + "/" + EXTPROC_CONFIG_KEY;

  /** Under this directory each policy's Secret is mounted, one sub-directory per volume. */
  public static final String SECRET_MOUNT_ROOT = "/etc/backend_security_policy";

  public static final int EXTPROC_PORT = 1063;

  /**
   * How long Envoy waits for each ExtProc answer, as upstream sets it. Envoy Gateway's default is
   * 200 ms, which a first request after a pod start (JIT), a pause of the collector or a large body
   * to parse can take, and Envoy fails the request then.
   */
  public static final String EXTPROC_MESSAGE_TIMEOUT = "10s";

  public static final String EXTPROC_PORT_NAME = "grpc";

  /** {@code aigw extproc}'s health, readiness and metrics port. */
  public static final int EXTPROC_ADMIN_PORT = 1064;

  public static final String EXTPROC_ADMIN_PORT_NAME = "admin";

  /** The header the ExtProc sets to the chosen backend; the HTTPRoute routes on it. */
  public static final String SELECTED_BACKEND_HEADER = "x-ai-eg-selected-backend";

  /** Name of the HTTPRoute's last rule, which answers requests no backend rule took. */
  public static final String ROUTE_NOT_FOUND_RULE = "route-not-found";

  public static final String ROUTE_NOT_FOUND_BODY =
      "No matching route found. It is likely because the model specified in your request is not"
          + " configured in the Gateway.";

  /** Dynamic-metadata namespace the ExtProc writes (costs, backend name). */
  public static final String METADATA_NAMESPACE = "io.envoy.ai_gateway";

  static final int DNS_LABEL_MAX = 63;
  static final int DNS_SUBDOMAIN_MAX = 253;
  private static final int HASH_CHARS = 10;

  private static final String EXTPROC_PREFIX = "ai-eg-route-extproc-";
  private static final String HOST_REWRITE_PREFIX = "ai-eg-host-rewrite-";
  private static final String ROUTE_NOT_FOUND_PREFIX = "ai-eg-route-not-found-response-";
  private static final String ROTATED_SECRET_PREFIX = "ai-eg-bsp-";
  private static final String SECRET_VOLUME_PREFIX = "bsp-";

  private Names() {}

  /**
   * The ExtProc ConfigMap, Deployment, Service and EnvoyExtensionPolicy of a route. A DNS label
   * (63, no dots) because it names a Service and is the value of the {@code app} label: a route
   * name with dots or too long for one gets a hash suffix, so two routes never share it.
   */
  public static String extProc(String route) {
    return label(EXTPROC_PREFIX + route).intern();
  }

  /** The route's HTTPRouteFilter rewriting Host to the selected backend. */
  public static String hostRewriteFilter(String route) {
    return fit(HOST_REWRITE_PREFIX + route, DNS_SUBDOMAIN_MAX).intern();
  }

  /** The route's HTTPRouteFilter answering 404 when no backend rule matches. */
  public static String routeNotFoundFilter(String route) {
    return fit(ROUTE_NOT_FOUND_PREFIX + route, DNS_SUBDOMAIN_MAX).intern();
  }

  /** The Secret a credential rotator keeps the short-lived credentials of a policy in. */
  public static String rotatedSecret(String policy) {
    return fit(ROTATED_SECRET_PREFIX + policy, DNS_SUBDOMAIN_MAX).intern();
  }

  /**
   * The pod volume of a policy's Secret: a DNS label ({@code bsp-<policy>}); a policy name with
   * dots or too long for a label gets a hash suffix, so two policies never share a volume.
   */
  public static String secretVolume(String policy) {
    return label(SECRET_VOLUME_PREFIX + policy).intern();
  }

  /** {@code base} if it is a DNS label, else its dots as dashes, cut, ending in its hash. */
  private static String label(String base) {
    String label = base.replace('.', '-');
    if (label.equals(base) && label.length() <= DNS_LABEL_MAX) {
      return label;
    }
    return withHash(label, base, DNS_LABEL_MAX);
  }

  /** Directory the Secret volume {@code volume} is mounted at. */
  public static String secretMountPath(String volume) {
    return (SECRET_MOUNT_ROOT + "/" + volume).intern();
  }

  /** The selected-backend header value and filter-config name of an AIServiceBackend. */
  public static String backend(String name, String namespace) {
    return (name + "." + namespace).intern();
  }

  /** {@code name} if it fits {@code max}, else a cut of it ending in {@code -<hash of name>}. */
  public static String fit(String name, int max) {
    return name.length() <= max ? name : withHash(name, name, max);
  }

  private static String withHash(String shown, String hashed, int max) {
    String cut = shown.substring(0, Math.min(shown.length(), max - HASH_CHARS - 1));
    cut = trimTrailing(cut);
    return cut + "-" + sha256Hex(hashed).substring(0, HASH_CHARS);
  }

  private static String trimTrailing(String name) {
    int end = name.length();
    while (end > 0 && (name.charAt(end - 1) == '-' || name.charAt(end - 1) == '.')) {
      end--;
    }
    return name.substring(0, end);
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
