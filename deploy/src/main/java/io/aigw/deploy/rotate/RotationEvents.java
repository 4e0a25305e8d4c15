package io.aigw.deploy.rotate;

import io.aigw.core.model.BackendSecurityPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes Event on a policy whose credential could not be rotated ({@code kubectl describe
 * backendsecuritypolicy} shows it): the policy's status says only whether its spec is valid, and
 * without this a failing rotation shows as nothing but a log line of the controller while every
 * request to the backend fails. The reason never holds a secret value: the exchanges leave answers'
 * bodies out of their errors.
 */
final class RotationEvents {

  static final String FAILED = "CredentialRotationFailed";

  private static final Logger LOG = LoggerFactory.getLogger(RotationEvents.class);

  private final KubernetesClient client;

  RotationEvents(KubernetesClient client) {
    this.client = client;
  }

  /** Records that rotating {@code policy}'s credential failed; blocks on the API call. */
  void failed(BackendSecurityPolicy policy, String reason, Instant at) {
    String ns = policy.metadata().namespace();
    String name = policy.metadata().name();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            // as kubectl names events: the object's name and a unique suffix
            .withName(
                name.substring(0, Math.min(name.length(), 200))
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()))
            .withNamespace(ns)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(policy.apiVersion())
                    .withKind("BackendSecurityPolicy")
                    .withNamespace(ns)
                    .withName(name)
                    .withUid(policy.metadata().uid())
                    .build())
            .withType("Warning")
            .withReason(FAILED)
            .withMessage("the credential could not be rotated: " + reason)
            .withNewSource()
            .withComponent("aigw")
            .endSource()
            .withFirstTimestamp(at.toString())
            .withLastTimestamp(at.toString())
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
    } catch (RuntimeException e) {
      LOG.atWarn().log("no event recorded for {}/{}: {}", ns, name, e.toString());
    }
  }
}
