package io.aigw.projections.filterconfig;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.BackendQuota.ClientBucket;
import io.aigw.core.filterconfig.BackendQuota.HeaderSelector;
import io.aigw.core.filterconfig.BackendQuota.ModelQuota;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.core.model.QuotaPolicySpec;
import io.aigw.core.model.QuotaPolicySpec.BucketRule;
import io.aigw.core.model.QuotaPolicySpec.ClientSelector;
import io.aigw.core.model.QuotaPolicySpec.PerModelQuota;
import io.aigw.core.model.QuotaPolicySpec.QuotaValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The token budgets QuotaPolicies give a backend, as its filter config carries them, and what of a
 * QuotaPolicy is not applied. Only what can be applied reaches the config: an ExtProc refuses a
 * whole route whose config does not compile, so one wrong policy must not take its routes down.
 */
final class QuotaBudgets {

  private static final String DISTINCT = HeaderSelector.Type.Distinct.name();
  private static final String REGULAR_EXPRESSION = HeaderSelector.Type.RegularExpression.name();

  private final CostExpressions costs;

  QuotaBudgets(CostExpressions costs) {
    this.costs = costs;
  }

  /** Which policy gives a backend its service quota and each model's quota. */
  private record Winners(
      Versioned<QuotaPolicy> servicePolicy, Map<String, Versioned<QuotaPolicy>> models) {}

  /**
   * Upstream's precedence among the policies of one backend (given in namespace/name order): the
   * first with a service quota that can be applied gives the backend's, the first to name a model
   * with a quota that can be applied gives the model's.
   */
  private Winners winners(List<Versioned<QuotaPolicy>> policies) {
    Versioned<QuotaPolicy> servicePolicy = null;
    Map<String, Versioned<QuotaPolicy>> models = new LinkedHashMap<>();
    for (Versioned<QuotaPolicy> policy : policies) {
      QuotaPolicySpec spec = policy.resource().spec();
      if (servicePolicy == null && applies(spec.serviceQuota())) {
        servicePolicy = policy;
      }
      for (PerModelQuota model : firstPerModel(spec).values()) {
        if (applies(model)) {
          models.putIfAbsent(model.modelName(), policy);
        }
      }
    }
    return new Winners(servicePolicy, models);
  }

  /** A policy's quota of each model: its first entry for the model (a repeat is left out). */
  private static Map<String, PerModelQuota> firstPerModel(QuotaPolicySpec spec) {
    Map<String, PerModelQuota> first = new LinkedHashMap<>();
    for (PerModelQuota model : spec.perModelQuotas()) {
      first.putIfAbsent(model.modelName(), model);
    }
    return first;
  }

  private boolean applies(QuotaPolicySpec.ServiceQuota quota) {
    return quota != null && quota.quota() != null && costs.problem(quota.costOrDefault()).isEmpty();
  }

  /** Whether a model's quota reaches the config: its cost compiles and a bucket of it applies. */
  private boolean applies(PerModelQuota model) {
    var quota = model.quota();
    return quota != null
        && costs.problem(quota.costOrDefault()).isEmpty()
        && (quota.defaultBucket() != null
            || quota.bucketRules().stream().anyMatch(rule -> ruleProblems(rule, "").isEmpty()));
  }

  /** The budgets of the policies targeting a backend, in precedence order; null when none. */
  BackendQuota of(List<Versioned<QuotaPolicy>> policies) {
    Winners winners = winners(policies);
    BackendQuota.ServiceQuota service = null;
    if (winners.servicePolicy() != null) {
      var quota = winners.servicePolicy().resource().spec().serviceQuota();
      service =
          new BackendQuota.ServiceQuota(
              winners.servicePolicy().ref(),
              quota.costOrDefault(),
              quota.quota().limit(),
              quota.quota().duration());
    }
    List<ModelQuota> models = new ArrayList<>();
    winners
        .models()
        .forEach(
            (name, policy) ->
                models.add(
                    modelQuota(policy.ref(), firstPerModel(policy.resource().spec()).get(name))));
    return service == null && models.isEmpty() ? null : new BackendQuota(service, models);
  }

  private static ModelQuota modelQuota(String policy, PerModelQuota model) {
    var quota = model.quota();
    List<ClientBucket> buckets = new ArrayList<>();
    for (BucketRule rule : quota.bucketRules()) {
      if (ruleProblems(rule, "").isEmpty()) {
        buckets.add(bucket(rule));
      }
    }
    QuotaValue defaultBucket = quota.defaultBucket();
    return new ModelQuota(
        model.modelName(),
        policy,
        quota.costOrDefault(),
        defaultBucket == null
            ? null
            : new ClientBucket(List.of(), defaultBucket.limit(), defaultBucket.duration(), false),
        buckets);
  }

  /** A bucket rule: its selectors' headers all hold (selectors and headers are both ANDed). */
  private static ClientBucket bucket(BucketRule rule) {
    List<HeaderSelector> headers = new ArrayList<>();
    for (ClientSelector selector : rule.clientSelectors()) {
      for (var header : selector.headers()) {
        headers.add(
            new HeaderSelector(
                header.name().toLowerCase(Locale.ROOT),
                HeaderSelector.Type.valueOf(header.type()),
                header.value(),
                header.invert()));
      }
    }
    return new ClientBucket(
        headers, rule.quota().limit(), rule.quota().duration(), rule.shadowMode());
  }

  /**
   * What of {@code policy} is not applied, each as {@code <field>: <reason>}: a cost that cannot be
   * computed leaves out its quota, a bucket rule aigw cannot match as written leaves out that rule,
   * and a quota another policy of a backend gives first is not this one's there.
   */
  List<String> problems(Versioned<QuotaPolicy> policy, References references) {
    List<String> problems = new ArrayList<>();
    QuotaPolicySpec spec = policy.resource().spec();
    if (spec.serviceQuota() != null) {
      costs
          .problem(spec.serviceQuota().costOrDefault())
          .ifPresent(
              p ->
                  problems.add(
                      "spec.serviceQuota.costExpression: " + p + "; the quota is left out"));
    }
    for (int i = 0; i < spec.perModelQuotas().size(); i++) {
      var quota = spec.perModelQuotas().get(i).quota();
      if (quota == null) {
        continue;
      }
      String field = "spec.perModelQuotas[" + i + "].quota";
      costs
          .problem(quota.costOrDefault())
          .ifPresent(
              p -> problems.add(field + ".costExpression: " + p + "; the quota is left out"));
      for (int j = 0; j < quota.bucketRules().size(); j++) {
        problems.addAll(
            ruleProblems(quota.bucketRules().get(j), field + ".bucketRules[" + j + "]"));
      }
      if (costs.problem(quota.costOrDefault()).isEmpty()
          && !applies(spec.perModelQuotas().get(i))) {
        problems.add(
            field
                + ": no bucket applies (no defaultBucket, and every bucket rule is left out); the"
                + " quota is left out");
      }
    }
    problems.addAll(repeatedModels(spec));
    Set<ObjectKey> targets = new LinkedHashSet<>();
    for (LocalPolicyTargetReference target : spec.targetRefs()) {
      References.backendTarget(policy.namespace(), target)
          .filter(backend -> references.backend(backend).isPresent())
          .ifPresent(targets::add);
    }
    for (ObjectKey backend : targets) {
      problems.addAll(precedenceProblems(policy, backend, references));
    }
    return problems;
  }

  /** A model given a second quota in one policy: the first applies. */
  private static List<String> repeatedModels(QuotaPolicySpec spec) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> first = new LinkedHashMap<>();
    for (int i = 0; i < spec.perModelQuotas().size(); i++) {
      String model = spec.perModelQuotas().get(i).modelName();
      Integer earlier = first.putIfAbsent(model, i);
      if (earlier != null) {
        problems.add(
            "spec.perModelQuotas["
                + i
                + "]: model "
                + model
                + " has a quota at spec.perModelQuotas["
                + earlier
                + "] already; this one is left out");
      }
    }
    return problems;
  }

  /** The quotas of {@code policy} that another policy of {@code backend} gives there first. */
  private List<String> precedenceProblems(
      Versioned<QuotaPolicy> policy, ObjectKey backend, References references) {
    List<String> problems = new ArrayList<>();
    Winners winners = winners(references.quotasOf(backend));
    String ref = "AIServiceBackend " + backend.namespace() + "/" + backend.name();
    QuotaPolicySpec spec = policy.resource().spec();
    if (applies(spec.serviceQuota())
        && winners.servicePolicy() != null
        && !winners.servicePolicy().ref().equals(policy.ref())) {
      problems.add(
          "spec.serviceQuota: not applied to "
              + ref
              + ": QuotaPolicy "
              + winners.servicePolicy().ref()
              + " gives it one and comes first by namespace/name");
    }
    for (int i = 0; i < spec.perModelQuotas().size(); i++) {
      PerModelQuota model = spec.perModelQuotas().get(i);
      Versioned<QuotaPolicy> winner = winners.models().get(model.modelName());
      if (applies(model) && winner != null && !winner.ref().equals(policy.ref())) {
        problems.add(
            "spec.perModelQuotas["
                + i
                + "]: not applied to "
                + ref
                + ": QuotaPolicy "
                + winner.ref()
                + " gives model "
                + model.modelName()
                + " a quota there and comes first by namespace/name");
      }
    }
    return problems;
  }

  /** Why a bucket rule is left out: a condition aigw does not match on, or a header it cannot. */
  private static List<String> ruleProblems(BucketRule rule, String field) {
    List<String> problems = new ArrayList<>();
    for (int k = 0; k < rule.clientSelectors().size(); k++) {
      ClientSelector selector = rule.clientSelectors().get(k);
      String at = field + ".clientSelectors[" + k + "]";
      if (!selector.notApplied().isEmpty()) {
        problems.add(
            at
                + ": "
                + String.join(", ", selector.notApplied())
                + " not applied: aigw selects clients by headers only; the bucket rule is left out");
      }
      for (int h = 0; h < selector.headers().size(); h++) {
        String header = at + ".headers[" + h + "]";
        headerProblem(selector.headers().get(h))
            .ifPresent(p -> problems.add(header + p + "; the bucket rule is left out"));
      }
    }
    return problems;
  }

  private static Optional<String> headerProblem(QuotaPolicySpec.HeaderSelector header) {
    if (DISTINCT.equals(header.type())) {
      return header.value() != null || header.invert()
          ? Optional.of(": a Distinct header takes no value and no invert (each value is a bucket)")
          : Optional.empty();
    }
    if (header.value() == null) {
      return Optional.of(".value: required for type " + header.type());
    }
    if (REGULAR_EXPRESSION.equals(header.type())) {
      try {
        Pattern.compile(header.value());
      } catch (PatternSyntaxException e) {
        return Optional.of(".value: invalid regular expression: " + e.getDescription());
      }
    }
    return Optional.empty();
  }
}
