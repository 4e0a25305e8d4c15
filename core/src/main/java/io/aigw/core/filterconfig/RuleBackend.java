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
 *     route's rules naming one backend with different timeouts have one HTTPRoute rule each. Null
 *     for the first, which matches on the selected-backend header alone; else the value of {@link
 *     FilterConfig#BACKEND_RULE_HEADER} that the ExtProc sets and the rule also matches on (the
 *     timeouts, {@code 120s} or {@code 120s/30s})
 * @param name the candidate as upstream names it ({@code <route
 *     namespace>/<backend>/route/<route>/rule/<i>/ref/<j>}, the indices those of the
 *     AIGatewayRoute's own lists), which metadata and cost expressions see; null in a hand-written
 *     config, where the ExtProc names it from its place in this config
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
    String backendRule,
    String name) {

  public RuleBackend {
    Objects.requireNonNull(backend, "backend");
    if (backendRule != null && backendRule.isEmpty()) {
      backendRule = null;
    }
    if (name != null && name.isEmpty()) {
      name = null;
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
    this(backend, weight, priority, modelNameOverride, headerMutation, bodyMutation, null, null);
  }
}
