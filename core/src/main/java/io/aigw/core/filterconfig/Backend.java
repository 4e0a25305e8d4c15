package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A backend as the ExtProc talks to it: the API it speaks and how it authenticates. The request is
 * sent to Envoy's upstream for this backend by writing {@code name} into the selected-backend
 * header; Envoy resolves the host.
 *
 * @param name {@code <aiservicebackend>.<namespace>}, the value of the selected-backend header
 * @param schema the API the backend speaks; requests are translated to it
 * @param auth how to authenticate, or null for none
 * @param credentialOverride where a request may bring its own credential, or null
 * @param quota the token budgets of the backend's QuotaPolicies, or null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record Backend(
    String name,
    ApiSchema schema,
    BackendAuth auth,
    CredentialOverride credentialOverride,
    BackendQuota quota) {

  public Backend {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
  }

  /** A backend without token budgets. */
  public Backend(
      String name, ApiSchema schema, BackendAuth auth, CredentialOverride credentialOverride) {
    this(name, schema, auth, credentialOverride, null);
  }
}
