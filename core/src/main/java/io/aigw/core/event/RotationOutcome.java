package io.aigw.core.event;

import io.aigw.core.model.AiResource;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.ObjectMeta;
import java.util.Objects;

/**
 * How rotating a BackendSecurityPolicy's credential went, recorded when that changes: the first
 * failure of a run, and the first success after failures. The gateway fold puts a failure in the
 * policy's status as upstream's controller does ({@code NotAccepted} with the error) for as long as
 * the policy keeps the generation that failed, so {@code kubectl get} shows it and history keeps
 * it; a Kubernetes Event is gone after an hour.
 *
 * @param source who rotated, {@code k8s:<context>} as for watch events
 * @param namespace the policy's namespace
 * @param name the policy's name
 * @param uid the policy's uid: a policy made again under the same name is another policy
 * @param generation the generation of the policy the rotation used (0 when it has none)
 * @param failure why the rotation failed, never holding a secret value; empty when it succeeded
 */
public record RotationOutcome(
    String source, String namespace, String name, String uid, long generation, String failure)
    implements LogEvent {

  public RotationOutcome {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(failure, "failure");
  }

  /** How rotating the credential of {@code policy}, as it is in effect, went. */
  public static RotationOutcome of(String source, BackendSecurityPolicy policy, String failure) {
    ObjectMeta meta = policy.metadata();
    return new RotationOutcome(
        source, meta.namespace(), meta.name(), meta.uidOrEmpty(), meta.generationOrZero(), failure);
  }

  /** The key of policy {@code namespace/name}, under which outcomes are kept. */
  public static ObjectKey policyKey(String namespace, String name) {
    return new ObjectKey(AiResource.GROUP, "BackendSecurityPolicy", namespace, name);
  }

  public boolean failed() {
    return !failure.isEmpty();
  }

  /** The policy's key. */
  public ObjectKey key() {
    return policyKey(namespace, name);
  }

  /**
   * {@code Rotated the credential of BackendSecurityPolicy default/aws}, or {@code Failed to rotate
   * … : <failure>}.
   */
  public String describe() {
    return failed()
        ? "Failed to rotate the credential of " + key() + ": " + failure
        : "Rotated the credential of " + key();
  }
}
