package io.aigw.projections.status;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.projections.desired.ContainerOverrides;
import io.aigw.projections.filterconfig.PolicyCredentials;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status of each AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, GatewayConfig and
 * QuotaPolicy: {@code Accepted} with upstream's success message, or {@code NotAccepted} with every
 * problem as {@code <field>: <reason>}, joined by {@code "; "}. Problems of the version in effect
 * are reported together with the validation errors of a newer, rejected version.
 */
public final class StatusProjection {

  public static final String ROUTE_ACCEPTED = "AI Gateway Route reconciled successfully";
  public static final String BACKEND_ACCEPTED = "AIServiceBackend reconciled successfully";
  public static final String POLICY_ACCEPTED = "BackendSecurityPolicy reconciled successfully";
  public static final String GATEWAY_CONFIG_ACCEPTED = "GatewayConfig reconciled successfully";
  public static final String QUOTA_POLICY_ACCEPTED = "QuotaPolicy reconciled successfully";

  private StatusProjection() {}

  /** Accepted with {@code success} when there are no problems, else NotAccepted naming them. */
  public static ResourceStatus of(
      ObjectKey key, String uid, long generation, List<String> problems, String success) {
    return new ResourceStatus(
        key, uid, generation, List.of(condition(key.kind(), problems, success)));
  }

  /**
   * Whether {@code status} is what {@link #of} would build from these arguments (its key aside),
   * found without building it: most recomputed statuses are unchanged.
   */
  public static boolean isAlready(
      ResourceStatus status, String uid, long generation, List<String> problems, String success) {
    if (status.observedGeneration() != generation
        || !status.uid().equals(uid)
        || status.conditions().size() != 1) {
      return false;
    }
    return status.conditions().get(0).equals(condition(status.key().kind(), problems, success));
  }

  /**
   * Accepted or NotAccepted; upstream gives a GatewayConfig's condition its type as its reason, and
   * the other kinds' ReconciliationSucceeded or ReconciliationFailed.
   */
  private static Condition condition(String kind, List<String> problems, String success) {
    Condition condition =
        problems.isEmpty()
            ? Condition.accepted(success)
            : Condition.notAccepted(String.join("; ", problems));
    return AiResourceReader.KIND_GATEWAY_CONFIG.equals(kind)
        ? new Condition(condition.type(), condition.status(), condition.type(), condition.message())
        : condition;
  }

  /** The success message of a kind. */
  public static String successMessage(String kind) {
    return switch (kind) {
      case AiResourceReader.KIND_ROUTE -> ROUTE_ACCEPTED;
      case AiResourceReader.KIND_BACKEND -> BACKEND_ACCEPTED;
      case AiResourceReader.KIND_GATEWAY_CONFIG -> GATEWAY_CONFIG_ACCEPTED;
      case AiResourceReader.KIND_QUOTA_POLICY -> QUOTA_POLICY_ACCEPTED;
      default -> POLICY_ACCEPTED;
    };
  }

  /**
   * What of a GatewayConfig in effect is not applied: costs that cannot be recorded ({@code
   * costProblems}), container settings aigw cannot write ({@code container}), busy polling a
   * container without a CPU limit turns off ({@code busyPolls}: the controller's setting asks for
   * it), the container settings at all where no ExtProc pods run ({@code aigw run}), a forward
   * proxy.
   */
  public static List<String> gatewayConfigProblems(
      GatewayConfig config,
      List<String> costProblems,
      ContainerOverrides container,
      boolean busyPolls,
      boolean runsExtProcPods) {
    List<String> problems = new ArrayList<>(costProblems);
    if (config.spec().container().isPresent() && !runsExtProcPods) {
      problems.add(
          "spec.extProc.kubernetes: not applied: aigw run serves every route from its own process"
              + " and runs no ExtProc pods");
    } else {
      problems.addAll(container.problems());
      if (busyPolls && container.leavesCpuUnlimited()) {
        problems.add(
            "spec.extProc.kubernetes.resources: sets no CPU limit, so the ExtProcs of the routes"
                + " it shapes do not busy-poll (AIGW_EXTPROC_BUSY_POLL needs one)");
      }
    }
    if (config.spec().forwardProxy() != null) {
      problems.add(
          "spec.forwardProxy: not applied: Envoy Gateway builds the clusters to the backends from"
              + " the HTTPRoutes, and aigw has no extension server to add a proxy to them");
    }
    return problems;
  }

  /** What is wrong with an AIServiceBackend in effect: more than one policy targets it. */
  public static List<String> backendProblems(ObjectKey key, References references) {
    List<Versioned<BackendSecurityPolicy>> policies = references.policiesOf(key);
    if (policies.size() < 2) {
      return List.of();
    }
    List<String> names = policies.stream().map(Versioned::ref).toList();
    return List.of(
        "more than one BackendSecurityPolicy targets this AIServiceBackend: "
            + String.join(", ", names)
            + "; only "
            + names.get(0)
            + " applies (the oldest, then by name)");
  }

  /**
   * What is wrong with a BackendSecurityPolicy in effect: targets that do not exist or that a
   * policy applied first also targets, a missing Secret or key, an override that cannot fall back,
   * and {@code rotationFailure}, why the last rotation of its credential failed.
   */
  public static List<String> policyProblems(
      Versioned<BackendSecurityPolicy> policy,
      References references,
      Optional<String> rotationFailure) {
    List<String> problems = new ArrayList<>();
    List<LocalPolicyTargetReference> targets = policy.resource().spec().targetRefs();
    for (int i = 0; i < targets.size(); i++) {
      targetProblem(policy, references, i, targets.get(i)).ifPresent(problems::add);
    }
    PolicyCredentials.secretOf(policy.resource())
        .filter(use -> !use.rotated())
        .flatMap(use -> secretProblem(use, references))
        .ifPresent(problems::add);
    PolicyCredentials.overrideProblem(policy.resource()).ifPresent(problems::add);
    rotationFailure
        .map(failure -> PolicyCredentials.rotationProblem(policy.resource(), failure))
        .ifPresent(problems::add);
    return problems;
  }

  private static Optional<String> targetProblem(
      Versioned<BackendSecurityPolicy> policy,
      References references,
      int index,
      LocalPolicyTargetReference target) {
    String field = "spec.targetRefs[" + index + "]";
    Optional<String> unusable = unusableTarget(policy.namespace(), field, target, references);
    if (unusable.isPresent()) {
      return unusable;
    }
    ObjectKey key = References.backendKey(policy.namespace(), target.name());
    String ref = "AIServiceBackend " + policy.namespace() + "/" + target.name();
    List<Versioned<BackendSecurityPolicy>> policies = references.policiesOf(key);
    if (!policies.isEmpty() && !policies.get(0).ref().equals(policy.ref())) {
      return Optional.of(
          field
              + ": "
              + ref
              + " is also targeted by BackendSecurityPolicy "
              + policies.get(0).ref()
              + ", which applies");
    }
    return Optional.empty();
  }

  /** Why a policy's target cannot take it: not an AIServiceBackend, missing, or not valid. */
  private static Optional<String> unusableTarget(
      String namespace, String field, LocalPolicyTargetReference target, References references) {
    Optional<ObjectKey> backend = References.backendTarget(namespace, target);
    if (backend.isEmpty()) {
      return Optional.of(field + ": " + target.kind() + " targets are not supported");
    }
    ObjectKey key = backend.get();
    if (references.backend(key).isEmpty()) {
      return Optional.of(
          field
              + ": AIServiceBackend "
              + namespace
              + "/"
              + target.name()
              + (references.rejected(key) ? " is not valid (see its status)" : " not found"));
    }
    return Optional.empty();
  }

  /**
   * What is wrong with a QuotaPolicy in effect: targets that do not exist, and {@code unapplied},
   * what of it the filter configs leave out.
   */
  public static List<String> quotaProblems(
      Versioned<QuotaPolicy> policy, References references, List<String> unapplied) {
    List<String> problems = new ArrayList<>();
    List<LocalPolicyTargetReference> targets = policy.resource().spec().targetRefs();
    for (int i = 0; i < targets.size(); i++) {
      unusableTarget(policy.namespace(), "spec.targetRefs[" + i + "]", targets.get(i), references)
          .ifPresent(problems::add);
    }
    problems.addAll(unapplied);
    return problems;
  }

  private static Optional<String> secretProblem(
      PolicyCredentials.SecretUse use, References references) {
    String ref = "Secret " + use.namespace() + "/" + use.name();
    var secret = references.secret(use.namespace(), use.name());
    if (secret.isEmpty()) {
      return Optional.of(use.field() + ": " + ref + " not found");
    }
    if (!secret.get().keys().contains(use.key())) {
      return Optional.of(use.field() + ": " + ref + " has no key " + use.key());
    }
    return Optional.empty();
  }
}
