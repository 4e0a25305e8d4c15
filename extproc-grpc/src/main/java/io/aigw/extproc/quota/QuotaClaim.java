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
  public static final QuotaClaim NONE = new QuotaClaim(List.of());

  private final List<Draw> draws;

  /**
   * One bucket's part.
   *
   * @param key the bucket's counter
   * @param start the start of the window the request came in (wall-clock milliseconds)
   * @param window the window's length
   * @param enforced false for a shadow bucket: counted, never refused
   * @param service the backend's service budget (a hard cap) rather than a bucket of the model
   * @param distinct one of the buckets a {@code Distinct} header makes, per value
   */
  record Draw(
      String key,
      long start,
      long window,
      long limit,
      boolean enforced,
      boolean service,
      boolean distinct,
      CostRule cost,
      String policy) {

    long end() {
      return start + window;
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
   * Draws the response's cost from every bucket, shadow ones included, in the window of {@code
   * now}, when the response ended (as the rate-limit service upstream relies on counts a cost once
   * the stream is done): a stream that outlasts its window is counted in the next. A cost that
   * cannot be computed, or a bucket the full ledger does not count, is reported to {@code failed}
   * (with the policy); the others are drawn.
   */
  public void charge(
      QuotaLedger ledger,
      TokenUsage usage,
      CostContext context,
      long now,
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
      long start = QuotaWindow.startOf(now, draw.window());
      if (computed
          && !ledger.draw(draw.key(), start, start + draw.window(), cost, draw.distinct(), now)) {
        failed.accept(
            draw.policy(),
            new IllegalStateException(
                "the quota ledger holds "
                    + ledger.size()
                    + " counters: a bucket of a Distinct header is not counted"));
      }
    }
  }

  /** Whether no budget applies. */
  public boolean isEmpty() {
    return draws.isEmpty();
  }

  /** The QuotaPolicies of the enforced buckets the request falls in, for messages. */
  public List<String> policies() {
    return draws.stream().filter(Draw::enforced).map(Draw::policy).distinct().toList();
  }
}
