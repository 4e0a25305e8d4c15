package io.aigw.extproc.translate;

import io.aigw.core.filterconfig.ApiSchema;
import java.util.Objects;
import java.util.Optional;

/**
 * What the processor decided for the upstream request, handed to the backend's translator.
 *
 * @param schema the backend's API schema
 * @param modelOverride the model to send instead of the client's, if any
 * @param injectIncludeUsage ask the provider for streamed usage the client did not ask for (the
 *     translator must then hide the extra usage chunk from the client)
 */
public record RequestPlan(
    ApiSchema schema, Optional<String> modelOverride, boolean injectIncludeUsage) {

  public RequestPlan {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(modelOverride, "modelOverride");
  }

  /** The model the backend will see. */
  public String effectiveModel(ParsedRequest request) {
    return modelOverride.orElse(request.model());
  }
}
