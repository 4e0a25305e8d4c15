package io.aigw.core.event;

import java.util.Locale;
import java.util.Objects;

/**
 * What the applier did to one object of the cluster, recorded so that history shows what was
 * applied when, not only what was wanted. The folds ignore it: it describes the world's answer to
 * the desired state, never an input to it.
 *
 * @param source who applied, {@code k8s:<context>} as for watch events
 * @param apiVersion the object's apiVersion, e.g. {@code gateway.networking.k8s.io/v1}
 * @param kind the object's kind
 * @param namespace the object's namespace, empty for a cluster-scoped object
 * @param name the object's name
 * @param subresource {@code ""} for the object itself, {@code "status"} for a status write
 * @param outcome what happened
 * @param reason why, for {@link Outcome#FAILED} (and for a {@link Outcome#PATCHED} that repaired
 *     drift); empty otherwise
 * @param desiredSeq the seq of the desired state that was applied (the log position the applier had
 *     folded when it decided)
 */
public record ApplyOutcome(
    String source,
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String subresource,
    Outcome outcome,
    String reason,
    long desiredSeq)
    implements LogEvent {

  public ApplyOutcome {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subresource, "subresource");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
  }

  public ObjectKey key() {
    return ObjectKey.of(apiVersion, kind, namespace, name);
  }

  /**
   * {@code Created HTTPRoute default/chat}, {@code Failed AIGatewayRoute default/chat status: …}.
   */
  public String describe() {
    String verb = outcome.name().charAt(0) + outcome.name().substring(1).toLowerCase(Locale.ROOT);
    String target = key() + (subresource.isEmpty() ? "" : " " + subresource);
    return reason.isEmpty() ? verb + " " + target : verb + " " + target + ": " + reason;
  }
}
