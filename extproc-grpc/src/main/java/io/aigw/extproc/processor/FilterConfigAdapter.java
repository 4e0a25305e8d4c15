package io.aigw.extproc.processor;

import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.HeaderMutation;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.extproc.quota.QuotaPlan;
import io.aigw.extproc.usage.CelCostExpression;
import io.aigw.extproc.usage.CostRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The one place the filter-config contract ({@code io.aigw.core.filterconfig}) is bound to the
 * processor's routing table: regular expressions and CEL costs are compiled here, once per config.
 * A route that cannot be compiled is left out and reported; the others are served.
 */
public final class FilterConfigAdapter {

  private FilterConfigAdapter() {}

  /** The table and what was wrong with the routes left out of it. */
  public record Result(RoutingTable table, List<String> problems) {
    public Result {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Builds a table from the configs of every route this ExtProc serves. One ExtProc serves the APIs
   * at one set of paths, the first config's; a route whose config serves them elsewhere is left
   * out.
   */
  public static Result toRoutingTable(List<FilterConfig> configs) {
    List<Route> routes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    ApiPaths apiPaths = configs.isEmpty() ? ApiPaths.DEFAULT : configs.get(0).apiPaths();
    ServedPaths served;
    try {
      served = ServedPaths.of(apiPaths);
    } catch (IllegalArgumentException e) {
      configs.forEach(config -> problems.add(config.routeRef() + ": " + e.getMessage()));
      return new Result(new RoutingTable(List.of(), ServedPaths.DEFAULT), problems);
    }
    for (FilterConfig config : configs) {
      if (!seen.add(config.routeRef())) {
        problems.add(config.routeRef() + ": route appears twice; the first config is used");
        continue;
      }
      if (!config.apiPaths().equals(apiPaths)) {
        problems.add(
            config.routeRef()
                + ": serves the APIs at "
                + config.apiPaths()
                + ", this ExtProc at "
                + apiPaths
                + " (the first config's)");
        continue;
      }
      try {
        routes.add(toRoute(config));
      } catch (IllegalArgumentException e) {
        problems.add(config.routeRef() + ": " + e.getMessage());
      }
    }
    return new Result(new RoutingTable(routes, served), problems);
  }

  /**
   * One route.
   *
   * @throws IllegalArgumentException when a regex or CEL expression does not compile or a rule
   *     names an unknown backend
   */
  public static Route toRoute(FilterConfig config) {
    Map<String, BackendTarget> backends = new HashMap<>();
    for (Backend backend : config.backends()) {
      String metadataName = BackendTarget.metadataNameOf(backend.name());
      backends.put(
          backend.name(),
          new BackendTarget(
              backend.name(),
              metadataName,
              backend.schema(),
              Optional.ofNullable(backend.auth()),
              Optional.ofNullable(backend.credentialOverride()),
              Optional.ofNullable(backend.quota())
                  .map(quota -> QuotaPlan.compile(metadataName, quota))));
    }
    List<RouteRule> rules = new ArrayList<>();
    for (Rule rule : config.rules()) {
      String ruleName = "/route/" + config.routeName() + "/rule/" + rules.size();
      rules.add(toRule(rule, backends, ruleName));
    }
    List<CostRule> costs = new ArrayList<>();
    for (LlmRequestCost cost : config.llmRequestCosts()) {
      costs.add(toCost(cost));
    }
    return new Route(
        config.routeNamespace(),
        config.routeName(),
        config.hostnames(),
        rules,
        costs,
        config.models(),
        config.metadataNamespace(),
        config.modelNameHeaderKey(),
        config.selectedBackendHeaderKey());
  }

  /**
   * {@code ruleName}: the rule's part of the full names of candidates a hand-written config leaves
   * unnamed ({@code /route/R/rule/i}); the controller names each as upstream does.
   */
  private static RouteRule toRule(Rule rule, Map<String, BackendTarget> backends, String ruleName) {
    List<List<HeaderCondition>> matches = new ArrayList<>();
    for (Rule.Match match : rule.matches()) {
      List<HeaderCondition> conditions = new ArrayList<>();
      for (Rule.HeaderMatch header : match.headers()) {
        conditions.add(toCondition(rule, header));
      }
      matches.add(conditions);
    }
    List<BackendChoice> choices = new ArrayList<>();
    for (RuleBackend ref : rule.backends()) {
      BackendTarget target = backends.get(ref.backend());
      if (target == null) {
        throw new IllegalArgumentException(
            "rule " + rule.name() + " names backend " + ref.backend() + " which is not configured");
      }
      choices.add(
          new BackendChoice(
              target,
              Math.max(0, ref.weight()),
              ref.priority(),
              Optional.ofNullable(ref.modelNameOverride()).filter(m -> !m.isEmpty()),
              ref.headerMutation() == null
                  ? new HeaderMutation(List.of(), List.of())
                  : ref.headerMutation(),
              ref.bodyMutation() == null
                  ? new BodyMutation(List.of(), List.of())
                  : ref.bodyMutation(),
              Optional.ofNullable(ref.backendRule()),
              ref.name() != null
                  ? ref.name()
                  : target.metadataName() + ruleName + "/ref/" + choices.size()));
    }
    return new RouteRule(rule.name(), matches, choices);
  }

  private static HeaderCondition toCondition(Rule rule, Rule.HeaderMatch header) {
    if (header.type() == Rule.MatchType.Exact) {
      return HeaderCondition.exact(header.name(), header.value());
    }
    try {
      return HeaderCondition.regex(header.name(), header.value());
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "rule "
              + rule.name()
              + " header "
              + header.name()
              + ": invalid regular expression: "
              + e.getDescription());
    }
  }

  private static CostRule toCost(LlmRequestCost cost) {
    return switch (cost.type()) {
      case InputToken -> new CostRule.Tokens(cost.metadataKey(), CostRule.Figure.INPUT);
      case CachedInputToken ->
          new CostRule.Tokens(cost.metadataKey(), CostRule.Figure.CACHED_INPUT);
      case CacheCreationInputToken ->
          new CostRule.Tokens(cost.metadataKey(), CostRule.Figure.CACHE_CREATION_INPUT);
      case OutputToken -> new CostRule.Tokens(cost.metadataKey(), CostRule.Figure.OUTPUT);
      case TotalToken -> new CostRule.Tokens(cost.metadataKey(), CostRule.Figure.TOTAL);
      case ReasoningToken -> new CostRule.Tokens(cost.metadataKey(), CostRule.Figure.REASONING);
      case CEL -> new CostRule.Cel(cost.metadataKey(), compileCel(cost));
    };
  }

  private static CelCostExpression compileCel(LlmRequestCost cost) {
    try {
      return CelCostExpression.compile(cost.cel());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cost " + cost.metadataKey() + ": " + e.getMessage(), e);
    }
  }
}
