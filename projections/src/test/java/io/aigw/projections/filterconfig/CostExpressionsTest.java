package io.aigw.projections.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostExpressionsTest {

  final CostExpressions costs = new CostExpressions();

  @Test
  void acceptsIntAndUintExpressionsOverTheCostVariables() {
    assertThat(costs.problem("input_tokens * uint(3) + output_tokens")).isEmpty();
    assertThat(costs.problem("input_tokens == uint(3) ? 100000000 : 0")).isEmpty();
    assertThat(
            costs.problem(
                "model == 'gpt' && backend != '' && route_name != '' ? cached_input_tokens +"
                    + " cache_creation_input_tokens + reasoning_tokens + total_tokens : uint(0)"))
        .isEmpty();
  }

  @Test
  void rejectsWhatDoesNotCompileOrReturnsAnotherType() {
    assertThat(costs.problem("input_tokens +")).get().asString().startsWith("does not compile: ");
    assertThat(costs.problem("unknown_variable"))
        .get()
        .asString()
        .contains("undeclared reference to 'unknown_variable'");
    assertThat(costs.problem("1.5")).contains("must return int or uint, not double");
    assertThat(costs.problem("model")).contains("must return int or uint, not string");
  }

  @Test
  void rejectsANegativeResultForSampleUsage() {
    assertThat(costs.problem("-1")).contains("returned a negative number (-1) for sample usage");
  }

  @Test
  void rejectsAnExpressionThatFailsOnSampleUsage() {
    assertThat(costs.problem("input_tokens / (output_tokens - uint(1))"))
        .get()
        .asString()
        .startsWith("fails to evaluate: ");
  }

  @Test
  void givesTheSameVerdictFromTheCache() {
    var first = costs.problem("input_tokens +");
    assertThat(costs.problem("input_tokens +")).isEqualTo(first);
    assertThat(new CostExpressions().problem("input_tokens +")).isEqualTo(first);
  }
}
