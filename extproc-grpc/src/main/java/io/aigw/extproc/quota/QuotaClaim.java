package io.aigw.extproc.quota;

import io.aigw.extproc.usage.CostContext;
import io.aigw.extproc.usage.CostRule;
import io.aigw.extproc.usage.TokenUsage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The buckets one request draws on at one backend: whether they let it through, and after its
 * response, the draw of its cost.
 */
public final class QuotaClaim {

  /** No budget applies. */
  public static final QuotaClaim NONE = new QuotaClaim(List.of());

  private final List<Draw> draws;

  /**
   * One bucket's part.
   *
   * @param budget the bucket
   * @param key its counter for this request (one per value of a {@code Distinct} header)
   * @param admittedAt when the request was screened (wall-clock milliseconds)
   * @param service the backend's service budget (a hard cap) rather than a bucket of the model
   */
  record Draw(QuotaPlan.Budget budget, String key, long admittedAt, boolean service) {

    long start() {
      return QuotaWindow.startOf(admittedAt, budget.window());
    }

    long end() {
      return start() + budget.window();
    }

    boolean enforced() {
      return !budget.shadow();
    }

    /**
     * Whether the bucket takes part in the decision: a bucket of a {@code Distinct} value the full
     * ledger cannot count would read as unused and let its client past the model's other buckets,
     * so it is left out, as if the request were in no such bucket.
     */
    boolean decides(QuotaLedger ledger) {
      return enforced() && (!budget.distinct() || ledger.counts(key));
    }

    boolean spent(QuotaLedger ledger) {
      return ledger.used(key, start()) >= budget.limit();
    }
  }

  QuotaClaim(List<Draw> draws) {
    this.draws = List.copyOf(draws);
  }

  /**
   * Whether the request may go: the service budget, if any, has tokens left, and of the model's
   * enforced buckets, if any, one has (upstream's {@code Shared} mode: a client with a bucket of
   * its own goes on when the default bucket is spent).
   */
  public boolean allows(QuotaLedger ledger) {
    boolean anyModel = false;
    boolean modelLeft = false;
    for (Draw draw : draws) {
      if (!draw.decides(ledger)) {
        continue;
      }
      boolean left = !draw.spent(ledger);
      if (draw.service()) {
        if (!left) {
          return false;
        }
      } else {
        anyModel = true;
        modelLeft |= left;
      }
    }
    return !anyModel || modelLeft;
  }

  /** Milliseconds from {@code now} until the spent buckets' windows end and the request may go. */
  public long millisUntilAllowed(QuotaLedger ledger, long now) {
    long serviceEnd = now;
    long modelEnd = Long.MAX_VALUE;
    boolean anyModel = false;
    for (Draw draw : draws) {
      if (!draw.decides(ledger)) {
        continue;
      }
      boolean spent = draw.spent(ledger);
      if (draw.service()) {
        serviceEnd = spent ? Math.max(serviceEnd, draw.end()) : serviceEnd;
      } else {
        anyModel = true;
        modelEnd = Math.min(modelEnd, spent ? draw.end() : now);
      }
    }
    return Math.max(0, Math.max(serviceEnd, anyModel ? modelEnd : now) - now);
  }

  /**
   * The QuotaPolicies whose budgets refuse the request: a spent service budget's, and when every
   * enforced bucket of the model is spent, theirs.
   */
  public Set<String> spentPolicies(QuotaLedger ledger) {
    Set<String> policies = new LinkedHashSet<>();
    Set<String> model = new LinkedHashSet<>();
    boolean modelLeft = false;
    for (Draw draw : draws) {
      if (!draw.decides(ledger)) {
        continue;
      }
      boolean spent = draw.spent(ledger);
      if (draw.service() && spent) {
        policies.add(draw.budget().policy());
      } else if (!draw.service()) {
        modelLeft |= !spent;
        model.add(draw.budget().policy());
      }
    }
    if (!modelLeft) {
      policies.addAll(model);
    }
    return policies;
  }

  /**
   * Draws the response's cost from every bucket, shadow ones included, in the window of {@code
   * now}, when the response ended (as the rate-limit service upstream relies on counts a cost once
   * the stream is done): a stream that outlasts its window is counted in the next. A cost that
   * cannot be computed is reported to {@code failed} with the policy, a bucket the full ledger does
   * not count to {@code notCounted}; the others are drawn.
   *
   * @return the cost by the model's quota (upstream's {@code quota_cost}), when the request fell in
   *     a bucket of it and the cost could be computed
   */
  public OptionalLong charge(
      QuotaLedger ledger,
      TokenUsage usage,
      CostContext context,
      long now,
      BiConsumer<String, RuntimeException> failed,
      Consumer<String> notCounted) {
    CostRule rule = null;
    long cost = 0;
    boolean computed = false;
    OptionalLong modelCost = OptionalLong.empty();
    for (Draw draw : draws) {
      // the model's buckets share one cost: computed (or failed) once
      if (draw.budget().cost() != rule) {
        rule = draw.budget().cost();
        try {
          cost = rule.evaluate(usage, context);
          computed = true;
        } catch (CostRule.CostEvaluationException e) {
          computed = false;
          failed.accept(draw.budget().policy(), e);
        }
      }
      if (computed && !draw.service()) {
        modelCost = OptionalLong.of(cost);
      }
      long window = draw.budget().window();
      long start = QuotaWindow.startOf(now, window);
      if (computed
          && !ledger.draw(draw.key(), start, start + window, cost, draw.budget().distinct(), now)) {
        notCounted.accept(draw.budget().policy());
      }
    }
    return modelCost;
  }

  /** Whether no budget applies. */
  public boolean isEmpty() {
    return draws.isEmpty();
  }
}
