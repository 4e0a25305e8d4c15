package io.aigw.extproc.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CelCostExpressionTest {

  private static final TokenUsage USAGE =
      new TokenUsage(
          OptionalLong.of(100),
          OptionalLong.of(10),
          OptionalLong.empty(),
          OptionalLong.of(50),
          OptionalLong.of(150),
          OptionalLong.empty());
  private static final CostContext CONTEXT =
      new CostContext("gpt-4o", "default/openai", "default/chat");

  @Test
  void evaluatesOverTokensAndNames() {
    assertThat(
            CelCostExpression.compile("input_tokens * uint(3) + output_tokens")
                .evaluate(USAGE, CONTEXT))
        .isEqualTo(350);
    assertThat(
            CelCostExpression.compile(
                    "model == 'gpt-4o' && backend == 'default/openai' && route_name == 'default/chat' ? 7 : 0")
                .evaluate(USAGE, CONTEXT))
        .isEqualTo(7);
    assertThat(
            CelCostExpression.compile("reasoning_tokens + cache_creation_input_tokens")
                .evaluate(USAGE, CONTEXT))
        .as("unreported figures count as 0")
        .isZero();
  }

  @Test
  void refusesExpressionsThatDoNotCompileOrCannotYieldACost() {
    assertThatThrownBy(() -> CelCostExpression.compile("input_tokens * 3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not compile")
        // one line: a log collector reads each line as a record of its own
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("^");
    assertThatThrownBy(() -> CelCostExpression.compile("1.5")).hasMessageContaining("not an int");
    assertThatThrownBy(() -> CelCostExpression.compile(" ")).hasMessageContaining("empty");
  }

  @Test
  void aNegativeResultIsAnEvaluationError() {
    CelCostExpression expression = CelCostExpression.compile("model == 'model' ? 1 : -1");
    assertThatThrownBy(() -> expression.evaluate(USAGE, CONTEXT))
        .isInstanceOf(CostRule.CostEvaluationException.class);
  }

  @Test
  void aUintBeyondALongIsAnEvaluationErrorNotANegativeCost() {
    assertThatThrownBy(() -> CelCostExpression.compile("18446744073709551615u"))
        .as("refused when the config loads")
        .hasMessageContaining("more than 2^63 - 1");
    CelCostExpression expression =
        CelCostExpression.compile("input_tokens == 1u ? 1u : 18446744073709551615u");
    assertThatThrownBy(() -> expression.evaluate(USAGE, CONTEXT))
        .isInstanceOf(CostRule.CostEvaluationException.class)
        .hasMessageContaining("more than 2^63 - 1");
  }

  @Test
  void plainRulesReadTheirFigure() {
    assertThat(new CostRule.Tokens("k", CostRule.Figure.CACHED_INPUT).evaluate(USAGE, CONTEXT))
        .isEqualTo(10);
    assertThat(new CostRule.Tokens("k", CostRule.Figure.TOTAL).evaluate(USAGE, CONTEXT))
        .isEqualTo(150);
  }

  @Test
  void laterUsageOverridesFieldByField() {
    TokenUsage later =
        new TokenUsage(
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            OptionalLong.of(60),
            OptionalLong.of(160),
            OptionalLong.of(4));
    TokenUsage merged = USAGE.overriddenBy(later);
    assertThat(merged.input()).hasValue(100);
    assertThat(merged.output()).hasValue(60);
    assertThat(merged.reasoning()).hasValue(4);
  }
}
