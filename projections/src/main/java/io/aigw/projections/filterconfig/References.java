package io.aigw.projections.filterconfig;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.core.model.QuotaPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a route's translation may look up in the rest of the world. Implemented by the gateway fold
 * over its indexes; every lookup is cheap (no scan of the world).
 */
public interface References {

  /** The AIServiceBackend in effect under {@code key}, if one exists and was ever valid. */
  Optional<Versioned<AIServiceBackend>> backend(ObjectKey key);

  /**
   * Whether an object exists under {@code key} but no version of it was ever valid (so nothing of
   * it is in effect; its status says why).
   */
  boolean rejected(ObjectKey key);

  /**
   * The BackendSecurityPolicies in effect that target {@code backendKey}, the one that applies
   * first (oldest {@code creationTimestamp}, then namespace/name), the others after it.
   */
  List<Versioned<BackendSecurityPolicy>> policiesOf(ObjectKey backendKey);

  /**
   * The QuotaPolicies in effect that target {@code backendKey}, in upstream's precedence
   * (namespace/name): where two give one model a quota, the first one's applies.
   */
  List<Versioned<QuotaPolicy>> quotasOf(ObjectKey backendKey);

  /**
   * Whether a ReferenceGrant in {@code toNamespace} lets AIGatewayRoutes of {@code fromNamespace}
   * refer to the AIServiceBackend {@code backendName}; the seq of that grant when it does.
   */
  Optional<Long> grant(String fromNamespace, String toNamespace, String backendName);

  /** The GatewayConfig {@code route} follows, through its parent Gateways. */
  GatewayConfigBinding gatewayConfigOf(Versioned<AIGatewayRoute> route);

  /**
   * The host of the Envoy Gateway Backend an AIServiceBackend's {@code backendRef} names: the
   * hostname of its first FQDN endpoint, when it exists and has one.
   */
  Optional<BackendHost> backendHost(Versioned<AIServiceBackend> backend);

  /** The Secret {@code namespace/name}, if it exists: its key names and seq. */
  Optional<SecretKeys> secret(String namespace, String name);

  /** The key names of a Secret (never its values) and the seq of the entry that last changed it. */
  record SecretKeys(Set<String> keys, long seq) {
    public SecretKeys {
      keys = Set.copyOf(keys);
    }
  }

  /**
   * An Envoy Gateway Backend's host, and the seq of the Backend version that first gave it (later
   * versions with the same host change nothing).
   */
  record BackendHost(String hostname, long seq) {}

  /**
   * The AIServiceBackend a policy of {@code namespace} targets, when {@code target} names one (a
   * policy's targets are in its own namespace).
   */
  static Optional<ObjectKey> backendTarget(String namespace, LocalPolicyTargetReference target) {
    return io.aigw.core.model.AiResource.GROUP.equals(target.group())
            && io.aigw.core.model.AiResourceReader.KIND_BACKEND.equals(target.kind())
        ? Optional.of(backendKey(namespace, target.name()))
        : Optional.empty();
  }

  /** {@code AIServiceBackend} key of {@code namespace/name}. */
  static ObjectKey backendKey(String namespace, String name) {
    return new ObjectKey(
        io.aigw.core.model.AiResource.GROUP,
        io.aigw.core.model.AiResourceReader.KIND_BACKEND,
        namespace,
        name);
  }
}
