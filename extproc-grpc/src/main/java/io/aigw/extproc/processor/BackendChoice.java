package io.aigw.extproc.processor;

import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.HeaderMutation;
import java.util.Objects;
import java.util.Optional;

/**
 * One candidate backend of a rule with what applies when it is chosen.
 *
 * @param target the backend
 * @param weight share among candidates of the same priority (0: only when all are 0)
 * @param priority lower is preferred
 * @param modelNameOverride the model to send instead of the client's
 * @param headerMutation headers to set and remove upstream
 * @param bodyMutation top-level body fields to set and remove upstream
 * @param backendRule which of the backend's HTTPRoute rules takes the request (its timeouts): empty
 *     for the first, else the value of the backend-rule header
 * @param fullName the candidate as upstream names it in metadata and to cost expressions ({@code
 *     <namespace>/<backend>/route/<route>/rule/<i>/ref/<j>})
 */
public record BackendChoice(
    BackendTarget target,
    int weight,
    long priority,
    Optional<String> modelNameOverride,
    HeaderMutation headerMutation,
    BodyMutation bodyMutation,
    Optional<String> backendRule,
    String fullName) {

  /** A candidate taken by the backend's first HTTPRoute rule, named by its backend. */
  public BackendChoice(
      BackendTarget target,
      int weight,
      long priority,
      Optional<String> modelNameOverride,
      HeaderMutation headerMutation,
      BodyMutation bodyMutation) {
    this(
        target,
        weight,
        priority,
        modelNameOverride,
        headerMutation,
        bodyMutation,
        Optional.empty(),
        target.metadataName());
  }

  public BackendChoice {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(modelNameOverride, "modelNameOverride");
    Objects.requireNonNull(headerMutation, "headerMutation");
    Objects.requireNonNull(bodyMutation, "bodyMutation");
    Objects.requireNonNull(backendRule, "backendRule");
    Objects.requireNonNull(fullName, "fullName");
    if (weight < 0) {
      throw new IllegalArgumentException("weight must not be negative");
    }
  }
}
