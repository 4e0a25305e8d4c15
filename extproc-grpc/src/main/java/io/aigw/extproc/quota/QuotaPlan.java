package io.aigw.extproc.quota;

import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.BackendQuota.ClientBucket;
import io.aigw.core.filterconfig.BackendQuota.HeaderSelector;
import io.aigw.core.filterconfig.BackendQuota.ModelQuota;
import io.aigw.extproc.usage.CelCostExpression;
import io.aigw.extproc.usage.CostRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One backend's budgets ({@link BackendQuota}) compiled once per config: cost expressions, regular
 * expressions, windows. {@link #claim} names the buckets a request draws on.
 */
public final class QuotaPlan {

  private final String backend;
  private final Budget service;
  private final Map<String, ModelBudgets> models;

  /**
   * A bucket as compiled; {@code key} names its counter in the ledger, or with {@code Distinct}
   * selectors, the start of the names of its counters, one per value.
   *
   * @param distinct whether a {@code Distinct} header makes a counter per value (known once the
   *     selectors are: asked for every request and every draw)
   */
  record Budget(
      String key,
      String policy,
      CostRule cost,
      long limit,
      long window,
      List<Selector> selectors,
      boolean shadow,
      boolean distinct) {

    /** {@code default}, or the header conditions as the metrics name the bucket. */
    String label() {
      if (selectors.isEmpty()) {
        return "default";
      }
      List<String> parts = new ArrayList<>(selectors.size());
      for (Selector selector : selectors) {
        parts.add(selector.label());
      }
      return String.join(",", parts);
    }
  }

  /** A model's buckets, its default bucket (if any) first. */
  private record ModelBudgets(List<Budget> buckets) {}

  /** A header condition of a bucket. */
  record Selector(
      String name, HeaderSelector.Type type, String value, Pattern regex, boolean invert) {

    /**
     * {@code name=value}, {@code name~regex}, or {@code name} for a Distinct one; {@code !} first
     * when inverted.
     */
    String label() {
      String condition =
          switch (type) {
            case Exact -> name + "=" + value;
            case RegularExpression -> name + "~" + value;
            case Distinct -> name;
          };
      return invert ? "!" + condition : condition;
    }

    /** Whether the request's headers pass; a {@code Distinct} header passes when present. */
    boolean test(Function<String, String> header) {
      String actual = header.apply(name);
      if (type == HeaderSelector.Type.Distinct) {
        return actual != null;
      }
      boolean matched =
          actual != null
              && (type == HeaderSelector.Type.Exact
                  ? actual.equals(value)
                  : regex.matcher(actual).matches());
      return matched != invert;
    }
  }

  private QuotaPlan(String backend, Budget service, Map<String, ModelBudgets> models) {
    this.backend = backend;
    this.service = service;
    this.models = models;
  }

  /**
   * How much of each bucket's current window at {@code now} is used, the service budget first, then
   * the models in name order; the buckets of a {@code Distinct} header are left out.
   */
  public List<QuotaUsage> usage(QuotaLedger ledger, long now) {
    List<QuotaUsage> usage = new ArrayList<>();
    if (service != null) {
      usage.add(usage(service, "", "service", ledger, now));
    }
    for (String model : new TreeSet<>(models.keySet())) {
      // a rule selecting every request reads as the default bucket does: each label and window
      // once, so no two gauges have the same labels
      Set<String> labels = new HashSet<>();
      for (Budget bucket : models.get(model).buckets()) {
        if (!bucket.distinct()) {
          String label = bucket.label();
          for (int copy = 2; !labels.add(label + "|" + bucket.window()); copy++) {
            label = bucket.label() + "#" + copy;
          }
          usage.add(usage(bucket, model, label, ledger, now));
        }
      }
    }
    return usage;
  }

  private QuotaUsage usage(
      Budget budget, String model, String label, QuotaLedger ledger, long now) {
    return new QuotaUsage(
        backend,
        budget.policy(),
        model,
        label,
        QuotaWindow.nameOf(budget.window()),
        budget.limit(),
        ledger.used(budget.key(), QuotaWindow.startOf(now, budget.window())));
  }

  /**
   * Compiles the budgets of {@code backend} ({@code namespace/name}).
   *
   * @throws IllegalArgumentException when a cost, a regular expression or a window is invalid
   */
  public static QuotaPlan compile(String backend, BackendQuota quota) {
    Budget service = null;
    if (quota.service() != null) {
      BackendQuota.ServiceQuota s = quota.service();
      service =
          new Budget(
              new CounterName(backend)
                  .part("service")
                  .part(QuotaWindow.millisOf(s.duration()))
                  .toString(),
              s.policy(),
              cost(s.policy(), s.cost()),
              s.limit(),
              QuotaWindow.millisOf(s.duration()),
              List.of(),
              false,
              false);
    }
    Map<String, ModelBudgets> models = new HashMap<>();
    for (ModelQuota model : quota.models()) {
      models.putIfAbsent(model.model(), compile(backend, model));
    }
    return new QuotaPlan(backend, service, Map.copyOf(models));
  }

  private static ModelBudgets compile(String backend, ModelQuota model) {
    CostRule cost = cost(model.policy(), model.cost());
    CounterName prefix = new CounterName(backend).part("model").part(model.model());
    List<Budget> buckets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (model.defaultBucket() != null) {
      buckets.add(budget(model, model.defaultBucket(), prefix.copy().part("default"), cost, names));
    }
    for (ClientBucket bucket : model.buckets()) {
      buckets.add(budget(model, bucket, prefix.copy().part("rule"), cost, names));
    }
    return new ModelBudgets(List.copyOf(buckets));
  }

  /**
   * A bucket. Its counter is named by what it selects and its window, not by its place or its
   * limit: where the ledger outlives configs ({@code aigw run}, {@code aigw extproc} reloading its
   * file), a rule added before it or a limit raised leaves its count where it is. Two buckets
   * selecting the same requests over the same window get a counter each ({@code names}: those
   * taken), so neither draws the other's cost.
   */
  private static Budget budget(
      ModelQuota model, ClientBucket bucket, CounterName name, CostRule cost, Set<String> names) {
    long window = QuotaWindow.millisOf(bucket.duration());
    List<Selector> selectors = new ArrayList<>();
    for (HeaderSelector header : sorted(bucket.headers())) {
      selectors.add(selector(model, header));
      name.part(header.name().toLowerCase(Locale.ROOT))
          .part(header.type().name())
          .part(header.value())
          .part(Boolean.toString(header.invert()));
    }
    String base = name.part(window).toString();
    String key = base;
    for (int copy = 2; !names.add(key); copy++) {
      key = base + "#" + copy;
    }
    boolean distinct =
        bucket.headers().stream().anyMatch(h -> h.type() == HeaderSelector.Type.Distinct);
    return new Budget(
        key,
        model.policy(),
        cost,
        bucket.limit(),
        window,
        List.copyOf(selectors),
        bucket.shadow(),
        distinct);
  }

  private static List<HeaderSelector> sorted(List<HeaderSelector> headers) {
    List<HeaderSelector> out = new ArrayList<>(headers);
    out.sort(
        Comparator.comparing((HeaderSelector h) -> h.name().toLowerCase(Locale.ROOT))
            .thenComparing(HeaderSelector::type)
            .thenComparing(h -> String.valueOf(h.value()))
            .thenComparing(HeaderSelector::invert));
    return out;
  }

  private static Selector selector(ModelQuota model, HeaderSelector header) {
    Pattern regex = null;
    if (header.type() == HeaderSelector.Type.RegularExpression) {
      try {
        regex = Pattern.compile(header.value() == null ? "" : header.value());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "quota of "
                + model.policy()
                + " for model "
                + model.model()
                + ": header "
                + header.name()
                + ": invalid regular expression: "
                + e.getDescription(),
            e);
      }
    }
    return new Selector(
        header.name().toLowerCase(Locale.ROOT),
        header.type(),
        header.value(),
        regex,
        header.invert());
  }

  private static CostRule cost(String policy, String expression) {
    if ("total_tokens".equals(expression.strip())) {
      return new CostRule.Tokens("quota", CostRule.Figure.TOTAL);
    }
    try {
      return new CostRule.Cel("quota", CelCostExpression.compile(expression));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("quota cost of " + policy + ": " + e.getMessage(), e);
    }
  }

  /**
   * The buckets a request for {@code model} (the one sent upstream) draws on at {@code now}
   * (milliseconds of the wall clock); {@link QuotaClaim#NONE} when no budget applies.
   *
   * @param header a lower-case header's value, null when absent
   */
  public QuotaClaim claim(String model, Function<String, String> header, long now) {
    ModelBudgets budgets = models.get(model);
    if (service == null && budgets == null) {
      return QuotaClaim.NONE;
    }
    List<QuotaClaim.Draw> draws = new ArrayList<>(4);
    if (service != null) {
      draws.add(new QuotaClaim.Draw(service, service.key(), now, true));
    }
    if (budgets != null) {
      for (Budget bucket : budgets.buckets()) {
        String key = keyFor(bucket, header);
        if (key != null) {
          draws.add(new QuotaClaim.Draw(bucket, key, now, false));
        }
      }
    }
    return new QuotaClaim(draws);
  }

  /** The counter of {@code bucket} for this request, or null when the request is not in it. */
  private static String keyFor(Budget bucket, Function<String, String> header) {
    CounterName key = null;
    for (Selector selector : bucket.selectors()) {
      if (!selector.test(header)) {
        return null;
      }
      if (selector.type() == HeaderSelector.Type.Distinct) {
        key = key == null ? new CounterName(bucket.key()) : key;
        key.part(DistinctValue.of(header.apply(selector.name())));
      }
    }
    return key == null ? bucket.key() : key.toString();
  }
}
