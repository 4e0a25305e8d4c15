package io.aigw.deploy.install;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes API calls the controller makes, as (API group, resource, verb): the one list the
 * RBAC of the install base must grant, no more and no less. Keep it in step with the code that
 * talks to the API server: the informers ({@code watchers/…/informer}), the applier and status
 * writer ({@code deploy/…/apply}), leader election ({@code deploy/…/leader}), the restore of the
 * admin API ({@code deploy/…/restore}), the credential rotators ({@code deploy/…/rotate}) and the
 * controller command ({@code deploy/…/controller}).
 */
final class ControllerApiCalls {

  /** One permission: a verb on a resource of an API group ({@code ""} = core). */
  record ApiCall(String group, String resource, String verb) {
    @Override
    public String toString() {
      return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
    }
  }

  static final List<String> READ = List.of("get", "list", "watch");

  /** Status ({@code deploy/…/apply/StatusReconciler}): a merge patch of the status subresource. */
  static final List<String> STATUS_WRITE = List.of("patch");

  /** Restore ({@code deploy/…/restore/KubernetesRestoreTarget}): create, or update when live. */
  static final List<String> RESTORE = List.of("create", "update");

  /** The credential rotators ({@code deploy/…/rotate}): create, or update when it exists. */
  static final List<String> ROTATED_SECRET_WRITE = List.of("create", "update");

  /**
   * Everything aigw generates: server-side apply is a {@code patch}; the create/update fallback for
   * servers without SSA needs {@code create} and {@code update}; prune {@code list} + {@code
   * delete}; the drift check {@code get}/{@code list}/{@code watch}.
   */
  static final List<String> OWN =
      List.of("create", "get", "list", "watch", "update", "patch", "delete");

  /** The rotators' Events ({@code deploy/…/rotate/RotationEvents}): created, never changed. */
  static final List<String> EVENTS = List.of("create");

  /** fabric8's {@code LeaseLock}: get the Lease, create it once, patch it to renew or release. */
  static final List<String> LEASE = List.of("get", "create", "patch");

  /**
   * Generated objects name their AIGatewayRoute as controller owner with {@code
   * blockOwnerDeletion}, which the OwnerReferencesPermissionEnforcement admission plugin (on in
   * OpenShift) allows only to who may update the owner's {@code finalizers}.
   */
  static final List<String> OWNER_FINALIZERS = List.of("update");

  /**
   * The leader takes upstream's finalizer off AI Gateway objects being deleted ({@code
   * deploy/…/controller/UpstreamFinalizers}): a JSON patch.
   */
  static final List<String> RELEASE_FINALIZER = List.of("patch");

  /** Cluster-wide: AI Gateway resources, and what is generated for them, live in any namespace. */
  static final Set<ApiCall> CLUSTER =
      build(
          calls("aigateway.envoyproxy.io", "aigatewayroutes", READ),
          calls("aigateway.envoyproxy.io", "aiservicebackends", READ),
          calls("aigateway.envoyproxy.io", "backendsecuritypolicies", READ),
          calls("aigateway.envoyproxy.io", "gatewayconfigs", READ),
          calls("aigateway.envoyproxy.io", "quotapolicies", READ),
          calls("aigateway.envoyproxy.io", "aigatewayroutes", RESTORE),
          calls("aigateway.envoyproxy.io", "aiservicebackends", RESTORE),
          calls("aigateway.envoyproxy.io", "backendsecuritypolicies", RESTORE),
          calls("aigateway.envoyproxy.io", "gatewayconfigs", RESTORE),
          calls("aigateway.envoyproxy.io", "quotapolicies", RESTORE),
          calls("aigateway.envoyproxy.io", "aigatewayroutes", RELEASE_FINALIZER),
          calls("aigateway.envoyproxy.io", "aiservicebackends", RELEASE_FINALIZER),
          calls("aigateway.envoyproxy.io", "backendsecuritypolicies", RELEASE_FINALIZER),
          calls("aigateway.envoyproxy.io", "gatewayconfigs", RELEASE_FINALIZER),
          calls("aigateway.envoyproxy.io", "quotapolicies", RELEASE_FINALIZER),
          calls("aigateway.envoyproxy.io", "aigatewayroutes/status", STATUS_WRITE),
          calls("aigateway.envoyproxy.io", "aigatewayroutes/finalizers", OWNER_FINALIZERS),
          calls("aigateway.envoyproxy.io", "aiservicebackends/status", STATUS_WRITE),
          calls("aigateway.envoyproxy.io", "backendsecuritypolicies/status", STATUS_WRITE),
          calls("aigateway.envoyproxy.io", "gatewayconfigs/status", STATUS_WRITE),
          calls("aigateway.envoyproxy.io", "quotapolicies/status", STATUS_WRITE),
          calls("", "secrets", READ),
          calls("", "secrets", ROTATED_SECRET_WRITE),
          calls("gateway.networking.k8s.io", "gateways", READ),
          calls("gateway.networking.k8s.io", "referencegrants", READ),
          calls("gateway.envoyproxy.io", "backends", READ),
          calls("gateway.networking.k8s.io", "httproutes", OWN),
          calls("gateway.envoyproxy.io", "httproutefilters", OWN),
          calls("gateway.envoyproxy.io", "envoyextensionpolicies", OWN),
          calls("", "configmaps", OWN),
          calls("", "services", OWN),
          calls("apps", "deployments", OWN),
          calls("", "events", EVENTS));

  /** Only in the controller's namespace: the leader-election Lease. */
  static final Set<ApiCall> CONTROLLER_NAMESPACE =
      build(calls("coordination.k8s.io", "leases", LEASE));

  private ControllerApiCalls() {}

  private static List<ApiCall> calls(String group, String resource, List<String> verbs) {
    return verbs.stream().map(verb -> new ApiCall(group, resource, verb)).toList();
  }

  @SafeVarargs
  private static Set<ApiCall> build(List<ApiCall>... groups) {
    Set<ApiCall> all = new LinkedHashSet<>();
    for (List<ApiCall> group : groups) {
      all.addAll(group);
    }
    return Set.copyOf(all);
  }
}
