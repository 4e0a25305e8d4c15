package io.aigw.extproc.translate;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the processor decided for the upstream request, handed to the backend's translator.
 *
 * @param schema the backend's API schema
 * @param modelOverride the model to send instead of the client's, if any
 * @param injectIncludeUsage ask the provider for streamed usage the client did not ask for (the
 *     translator must then hide the extra usage chunk from the client)
 * @param auth the backend's auth (GCP paths carry its project and region)
 * @param nowEpochSeconds the time of the request, for the {@code created} of translated responses
 * @param requestHeaders the client's request headers, lower-case names (e.g. {@code
 *     anthropic-beta})
 */
public record RequestPlan(
    ApiSchema schema,
    Optional<String> modelOverride,
    boolean injectIncludeUsage,
    Optional<BackendAuth> auth,
    long nowEpochSeconds,
    Map<String, String> requestHeaders) {

  /** A plan without auth, time or headers (passthrough backends need none). */
  public RequestPlan(ApiSchema schema, Optional<String> modelOverride, boolean injectIncludeUsage) {
    this(schema, modelOverride, injectIncludeUsage, Optional.empty(), 0, Map.of());
  }

  public RequestPlan {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(modelOverride, "modelOverride");
    Objects.requireNonNull(auth, "auth");
    requestHeaders = Map.copyOf(requestHeaders);
  }

  /** The model the backend will see. */
  public String effectiveModel(ParsedRequest request) {
    return modelOverride.orElse(request.model());
  }
}
