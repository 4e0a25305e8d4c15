package io.aigw.projections.filterconfig;

import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.BackendQuota.ClientBucket;
import io.aigw.core.filterconfig.BackendQuota.HeaderSelector;
import io.aigw.core.filterconfig.BackendQuota.ModelQuota;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.core.model.QuotaPolicySpec.BucketRule;
import io.aigw.core.model.QuotaPolicySpec.ClientSelector;
import io.aigw.core.model.QuotaPolicySpec.PerModelQuota;
import io.aigw.core.model.QuotaPolicySpec.QuotaValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The token budgets QuotaPolicies give a backend, as its filter config carries them, and what of a
 * QuotaPolicy cannot be applied. Only what can be applied reaches the config: an ExtProc refuses a
 * whole route whose config does not compile, so one wrong policy must not take its routes down.
 */
final class QuotaBudgets {

  private final CostExpressions costs;

  QuotaBudgets(CostExpressions costs) {
    this.costs = costs;
  }

  /**
   * The budgets of the policies targeting a backend, in precedence order: the first policy with a
   * {@code serviceQuota} gives the backend's, and the first to name a model gives the model's. Null
   * when none applies.
   */
  BackendQuota of(List<Versioned<QuotaPolicy>> policies) {
    BackendQuota.ServiceQuota service = null;
    Map<String, ModelQuota> models = new LinkedHashMap<>();
    for (Versioned<QuotaPolicy> policy : policies) {
      var spec = policy.resource().spec();
      var serviceQuota = spec.serviceQuota();
      if (service == null
          && serviceQuota != null
          && serviceQuota.quota() != null
          && costs.problem(serviceQuota.costOrDefault()).isEmpty()) {
        service =
            new BackendQuota.ServiceQuota(
                policy.ref(),
                serviceQuota.costOrDefault(),
                serviceQuota.quota().limit(),
                serviceQuota.quota().duration());
      }
      for (PerModelQuota model : spec.perModelQuotas()) {
        if (!models.containsKey(model.modelName())) {
          modelQuota(policy.ref(), model).ifPresent(q -> models.put(q.model(), q));
        }
      }
    }
    return service == null && models.isEmpty()
        ? null
        : new BackendQuota(service, List.copyOf(models.values()));
  }

  /** A model's budgets; none when its cost cannot be computed. */
  private Optional<ModelQuota> modelQuota(String policy, PerModelQuota model) {
    var quota = model.quota();
    if (quota == null || costs.problem(quota.costOrDefault()).isPresent()) {
      return Optional.empty();
    }
    List<ClientBucket> buckets = new ArrayList<>();
    for (BucketRule rule : quota.bucketRules()) {
      if (ruleProblems(rule, "").isEmpty()) {
        buckets.add(bucket(rule));
      }
    }
    QuotaValue defaultBucket = quota.defaultBucket();
    return Optional.of(
        new ModelQuota(
            model.modelName(),
            policy,
            quota.costOrDefault(),
            defaultBucket == null
                ? null
                : new ClientBucket(
                    List.of(), defaultBucket.limit(), defaultBucket.duration(), false),
            buckets));
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
                HeaderSelector.Type.Distinct.name().equals(header.type()) ? null : header.value(),
                header.invert()));
      }
    }
    return new ClientBucket(
        headers, rule.quota().limit(), rule.quota().duration(), rule.shadowMode());
  }

  /**
   * What of {@code policy} is not applied, each as {@code <field>: <reason>}: a cost that cannot be
   * computed leaves out its quota, a bucket rule with a condition aigw does not match on or a
   * regular expression that does not compile leaves out that rule.
   */
  List<String> problems(QuotaPolicy policy) {
    List<String> problems = new ArrayList<>();
    var serviceQuota = policy.spec().serviceQuota();
    if (serviceQuota != null) {
      costs
          .problem(serviceQuota.costOrDefault())
          .ifPresent(
              p ->
                  problems.add(
                      "spec.serviceQuota.costExpression: " + p + "; the quota is left out"));
    }
    List<PerModelQuota> models = policy.spec().perModelQuotas();
    for (int i = 0; i < models.size(); i++) {
      var quota = models.get(i).quota();
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
    }
    return problems;
  }

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
        var header = selector.headers().get(h);
        if ("RegularExpression".equals(header.type())) {
          try {
            Pattern.compile(header.value() == null ? "" : header.value());
          } catch (PatternSyntaxException e) {
            problems.add(
                at
                    + ".headers["
                    + h
                    + "].value: invalid regular expression: "
                    + e.getDescription()
                    + "; the bucket rule is left out");
          }
        }
      }
    }
    return problems;
  }
}
