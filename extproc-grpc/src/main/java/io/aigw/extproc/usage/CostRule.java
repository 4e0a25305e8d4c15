package io.aigw.extproc.usage;

import java.util.Objects;

/**
 * One compiled {@code llmRequestCosts} entry: a metadata key and how to compute its number from a
 * response's token usage.
 */
public sealed interface CostRule {

  /** The dynamic-metadata key the number is written to. */
  String metadataKey();

  /**
   * The cost of one response. Unreported figures count as 0.
   *
   * @throws CostEvaluationException when a CEL expression fails or yields no non-negative integer
   */
  long evaluate(TokenUsage usage, CostContext context);

  /** A plain token figure. */
  record Tokens(String metadataKey, Figure figure) implements CostRule {
    public Tokens {
      Objects.requireNonNull(metadataKey, "metadataKey");
      Objects.requireNonNull(figure, "figure");
    }

    @Override
    public long evaluate(TokenUsage usage, CostContext context) {
      return switch (figure) {
        case INPUT -> usage.inputOrZero();
        case CACHED_INPUT -> usage.cachedInputOrZero();
        case CACHE_CREATION_INPUT -> usage.cacheCreationInputOrZero();
        case OUTPUT -> usage.outputOrZero();
        case TOTAL -> usage.totalOrZero();
        case REASONING -> usage.reasoningOrZero();
      };
    }
  }

  /** A CEL expression, compiled once when the config is loaded. */
  record Cel(String metadataKey, CelCostExpression expression) implements CostRule {
    public Cel {
      Objects.requireNonNull(metadataKey, "metadataKey");
      Objects.requireNonNull(expression, "expression");
    }

    @Override
    public long evaluate(TokenUsage usage, CostContext context) {
      return expression.evaluate(usage, context);
    }
  }

  /** The token figures a plain rule can report. */
  enum Figure {
    INPUT,
    CACHED_INPUT,
    CACHE_CREATION_INPUT,
    OUTPUT,
    TOTAL,
    REASONING
  }

  /** A cost could not be computed; the other keys are still reported. */
  final class CostEvaluationException extends RuntimeException {
    public CostEvaluationException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
