package io.aigw.projections.filterconfig;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SeqSet;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.HTTPRouteTimeouts;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A route with its references resolved: the filter config, the backends the HTTPRoute routes to,
 * the Secrets the ExtProc pod mounts, what could not be resolved, and the seqs of every object that
 * shaped the result.
 *
 * @param route the route version in effect
 * @param config the route's filter config
 * @param backends the distinct AIServiceBackends that resolved, in order of first appearance
 * @param problems what is wrong, as {@code <field>: <reason>} (empty when all is well)
 * @param referenceSeqs seqs of the backends and ReferenceGrants the route resolved through
 * @param credentialSeqs seqs of the BackendSecurityPolicies and Secrets of those backends
 * @param metadataReaderSeqs seqs of those BackendSecurityPolicies whose credential override reads
 *     dynamic metadata: they shape the EnvoyExtensionPolicy, which lets Envoy send it
 * @param containerConfig the GatewayConfig whose ExtProc container settings shape the Deployment
 *     ({@link GatewayConfigBinding#containerConfig}); the global costs of the one the route follows
 *     are in {@code config}
 */
public record RouteResolution(
    Versioned<AIGatewayRoute> route,
    FilterConfig config,
    List<ResolvedBackend> backends,
    List<String> problems,
    SortedSet<Long> referenceSeqs,
    SortedSet<Long> credentialSeqs,
    SortedSet<Long> metadataReaderSeqs,
    Optional<Versioned<GatewayConfig>> containerConfig) {

  public RouteResolution {
    backends = List.copyOf(backends);
    problems = List.copyOf(problems);
    // kept with every resource built from it: an array, not a tree set of boxed seqs
    referenceSeqs = SeqSet.of(referenceSeqs);
    credentialSeqs = SeqSet.of(credentialSeqs);
    metadataReaderSeqs = SeqSet.of(metadataReaderSeqs);
  }

  /**
   * One distinct backend of the route.
   *
   * @param key the AIServiceBackend's key
   * @param backend the AIServiceBackend version in effect
   * @param timeouts each distinct set of timeouts of the route rules that name it, in the order of
   *     first appearance, request defaulted to 60s: one HTTPRoute rule each ({@link
   *     io.aigw.core.filterconfig.RuleBackend#backendRule} names one)
   * @param mount the Secret its policy's credential comes from, mounted in the ExtProc pod
   */
  public record ResolvedBackend(
      ObjectKey key,
      Versioned<AIServiceBackend> backend,
      List<HTTPRouteTimeouts> timeouts,
      Optional<SecretMount> mount) {
    public ResolvedBackend {
      timeouts = List.copyOf(timeouts);
    }
  }

  /**
   * The backend-rule header value, and HTTPRoute match, of a backend's rule with {@code timeouts}
   * other than its first: {@code <request>} or {@code <request>/<backendRequest>}. Taken from the
   * timeouts themselves, so an ExtProc still on the route's previous config sends a value that
   * means the same timeouts, or none that matches.
   */
  public static String backendRuleValue(HTTPRouteTimeouts timeouts) {
    return timeouts.backendRequest() == null
        ? timeouts.request()
        : timeouts.request() + "/" + timeouts.backendRequest();
  }

  /** A Secret of the route's namespace mounted read-only as volume {@code volume}. */
  public record SecretMount(String volume, String secretName) {}
}
