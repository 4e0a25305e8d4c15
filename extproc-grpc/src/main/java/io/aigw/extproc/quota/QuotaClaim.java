package io.aigw.extproc.quota;

import io.aigw.extproc.usage.CostContext;
import io.aigw.extproc.usage.CostRule;
import io.aigw.extproc.usage.TokenUsage;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The buckets one request draws on at one backend: whether they let it through, and after its
 * response, the draw of its cost.
 */
public final class QuotaClaim {

  /** No budget applies. */
  public static final QuotaClaim NONE = new QuotaClaim("", List.of());

  private final String model;
  private final List<Draw> draws;

  /**
   * One bucket's part.
   *
   * @param key the bucket's counter
   * @param start the window's start (wall-clock milliseconds)
   * @param end the window's end
   * @param enforced false for a shadow bucket: counted, never refused
   * @param service the backend's service budget (a hard cap) rather than a bucket of the model
   */
  record Draw(
      String key,
      long start,
      long end,
      long limit,
      boolean enforced,
      boolean service,
      CostRule cost,
      String policy) {}

  QuotaClaim(String model, List<Draw> draws) {
    this.model = model;
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
      if (!draw.enforced()) {
        continue;
      }
      boolean left = ledger.used(draw.key(), draw.start()) < draw.limit();
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
      if (!draw.enforced()) {
        continue;
      }
      boolean spent = ledger.used(draw.key(), draw.start()) >= draw.limit();
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
   * Draws the response's cost from every bucket, shadow ones included. A cost that cannot be
   * computed is reported to {@code failed} (with the policy) and not drawn; the others are.
   */
  public void charge(
      QuotaLedger ledger,
      TokenUsage usage,
      CostContext context,
      BiConsumer<String, RuntimeException> failed) {
    CostRule rule = null;
    long cost = 0;
    boolean computed = false;
    for (Draw draw : draws) {
      // the model's buckets share one cost: computed (or failed) once
      if (draw.cost() != rule) {
        rule = draw.cost();
        try {
          cost = rule.evaluate(usage, context);
          computed = true;
        } catch (CostRule.CostEvaluationException e) {
          computed = false;
          failed.accept(draw.policy(), e);
        }
      }
      if (computed) {
        ledger.draw(draw.key(), draw.start(), draw.end(), cost);
      }
    }
  }

  /** Whether no budget applies. */
  public boolean isEmpty() {
    return draws.isEmpty();
  }

  /** The QuotaPolicies whose enforced buckets the request drew on, for messages. */
  public List<String> policies() {
    return draws.stream().filter(Draw::enforced).map(Draw::policy).distinct().toList();
  }

  /** The model the budgets are of. */
  public String model() {
    return model;
  }
}
