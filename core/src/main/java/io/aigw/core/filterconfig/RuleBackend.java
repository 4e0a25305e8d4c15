package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One candidate backend of a rule.
 *
 * @param backend the {@link Backend#name()} ({@code <aiservicebackend>.<namespace>}) to use
 * @param weight relative share among the candidates of the same priority (0 = never chosen unless
 *     all are 0, then uniform)
 * @param priority 0 is tried first; a higher number only when all lower ones are unavailable
 * @param modelNameOverride when set, the model name sent to the backend instead of the request's
 * @param headerMutation headers to set/remove on the upstream request (route-level entries already
 *     merged over the AIServiceBackend's: the route wins), or null
 * @param bodyMutation top-level JSON body fields to set/remove, merged the same way, or null
 * @param backendRule which of the backend's rules in the generated HTTPRoute takes the request: the
 *     route's rules naming one backend with different timeouts have one HTTPRoute rule each. The
 *     first, null (0 is read as null, so the YAML leaves it out), matches on the selected-backend
 *     header alone; k also on {@link FilterConfig#BACKEND_RULE_HEADER} {@code k}, which the ExtProc
 *     sets
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record RuleBackend(
    String backend,
    int weight,
    long priority,
    String modelNameOverride,
    HeaderMutation headerMutation,
    BodyMutation bodyMutation,
    Integer backendRule) {

  public RuleBackend {
    Objects.requireNonNull(backend, "backend");
    if (backendRule != null && backendRule < 0) {
      throw new IllegalArgumentException("backendRule must not be negative: " + backendRule);
    }
    if (backendRule != null && backendRule == 0) {
      backendRule = null;
    }
  }

  /** A candidate taken by the backend's first HTTPRoute rule. */
  public RuleBackend(
      String backend,
      int weight,
      long priority,
      String modelNameOverride,
      HeaderMutation headerMutation,
      BodyMutation bodyMutation) {
    this(backend, weight, priority, modelNameOverride, headerMutation, bodyMutation, null);
  }

  /** {@link #backendRule} as an index: 0 for the first. */
  public int backendRuleIndex() {
    return backendRule == null ? 0 : backendRule;
  }
}
