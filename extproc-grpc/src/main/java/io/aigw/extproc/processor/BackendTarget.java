package io.aigw.extproc.processor;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.extproc.quota.QuotaPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * A backend the processor can send a request to.
 *
 * @param name {@code <backend>.<namespace>}, the selected-backend header value Envoy routes on
 * @param metadataName {@code <namespace>/<backend>}, as metadata ({@code ai_service_backend_name})
 *     and metrics name it
 * @param schema the API the backend speaks
 * @param auth how to authenticate to it
 * @param credentialOverride where a request may bring its own credential
 * @param quota the token budgets of its QuotaPolicies
 */
public record BackendTarget(
    String name,
    String metadataName,
    ApiSchema schema,
    Optional<BackendAuth> auth,
    Optional<CredentialOverride> credentialOverride,
    Optional<QuotaPlan> quota) {

  /** A backend without token budgets. */
  public BackendTarget(
      String name,
      String metadataName,
      ApiSchema schema,
      Optional<BackendAuth> auth,
      Optional<CredentialOverride> credentialOverride) {
    this(name, metadataName, schema, auth, credentialOverride, Optional.empty());
  }

  /** A backend whose requests cannot bring their own credential. */
  public BackendTarget(
      String name, String metadataName, ApiSchema schema, Optional<BackendAuth> auth) {
    this(name, metadataName, schema, auth, Optional.empty());
  }

  public BackendTarget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metadataName, "metadataName");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(credentialOverride, "credentialOverride");
    Objects.requireNonNull(quota, "quota");
  }

  /** {@code ns/name} from {@code name.ns} (a namespace has no dots; a name may). */
  public static String metadataNameOf(String selectedBackend) {
    int dot = selectedBackend.lastIndexOf('.');
    return dot < 0
        ? selectedBackend
        : selectedBackend.substring(dot + 1) + "/" + selectedBackend.substring(0, dot);
  }
}
