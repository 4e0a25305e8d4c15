package io.aigw.extproc.usage;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A CEL cost expression over the variables of the upstream gateway: {@code model}, {@code backend},
 * {@code route_name} (string) and {@code input_tokens}, {@code cached_input_tokens}, {@code
 * cache_creation_input_tokens}, {@code output_tokens}, {@code total_tokens}, {@code
 * reasoning_tokens} (uint). The result must be an int ≥ 0 or a uint. Compiled once; evaluation is
 * thread-safe.
 */
public final class CelCostExpression {

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("model", SimpleType.STRING)
          .addVar("backend", SimpleType.STRING)
          .addVar("route_name", SimpleType.STRING)
          .addVar("input_tokens", SimpleType.UINT)
          .addVar("cached_input_tokens", SimpleType.UINT)
          .addVar("cache_creation_input_tokens", SimpleType.UINT)
          .addVar("output_tokens", SimpleType.UINT)
          .addVar("total_tokens", SimpleType.UINT)
          .addVar("reasoning_tokens", SimpleType.UINT)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final String source;
  private final CelRuntime.Program program;

  private CelCostExpression(String source, CelRuntime.Program program) {
    this.source = source;
    this.program = program;
  }

  /**
   * Compiles and test-evaluates {@code source} once with sample values, as the upstream gateway
   * does, so a config whose expression can never yield a cost is refused at load time.
   *
   * @throws IllegalArgumentException naming what is wrong with the expression
   */
  public static CelCostExpression compile(String source) {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("CEL cost expression is empty");
    }
    CelAbstractSyntaxTree ast;
    CelRuntime.Program program;
    try {
      ast = COMPILER.compile(source).getAst();
      program = RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException(
          "CEL cost expression does not compile: " + oneLine(e.getMessage()), e);
    }
    CelCostExpression expression = new CelCostExpression(source, program);
    try {
      expression.evaluate(
          new TokenUsage(
              OptionalLong.of(1),
              OptionalLong.of(1),
              OptionalLong.of(1),
              OptionalLong.of(1),
              OptionalLong.of(2),
              OptionalLong.of(1)),
          new CostContext("model", "default/backend/route/route/rule/0/ref/0", "default/route"));
    } catch (CostRule.CostEvaluationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return expression;
  }

  public String source() {
    return source;
  }

  /** The cost of one response; see {@link CostRule#evaluate}. */
  public long evaluate(TokenUsage usage, CostContext context) {
    CelVariableResolver variables = name -> Optional.ofNullable(variable(name, usage, context));
    Object result;
    try {
      result = program.eval(variables);
    } catch (CelEvaluationException | RuntimeException e) {
      throw new CostRule.CostEvaluationException(
          "CEL cost expression " + source + " failed: " + e.getMessage(), e);
    }
    if (result instanceof UnsignedLong unsigned) {
      if (unsigned.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) > 0) {
        // as a long it would turn negative: a cost that large is a mistake in the expression
        throw new CostRule.CostEvaluationException(
            "CEL cost expression " + source + " gave " + unsigned + ", more than 2^63 - 1", null);
      }
      return unsigned.longValue();
    }
    if (result instanceof Long signed && signed >= 0) {
      return signed;
    }
    throw new CostRule.CostEvaluationException(
        "CEL cost expression " + source + " gave " + result + ", not an int >= 0 or a uint", null);
  }

  private static Object variable(String name, TokenUsage usage, CostContext context) {
    return switch (name) {
      case "model" -> context.model();
      case "backend" -> context.backend();
      case "route_name" -> context.routeName();
      case "input_tokens" -> UnsignedLong.fromLongBits(usage.inputOrZero());
      case "cached_input_tokens" -> UnsignedLong.fromLongBits(usage.cachedInputOrZero());
      case "cache_creation_input_tokens" ->
          UnsignedLong.fromLongBits(usage.cacheCreationInputOrZero());
      case "output_tokens" -> UnsignedLong.fromLongBits(usage.outputOrZero());
      case "total_tokens" -> UnsignedLong.fromLongBits(usage.totalOrZero());
      case "reasoning_tokens" -> UnsignedLong.fromLongBits(usage.reasoningOrZero());
      default -> null;
    };
  }

  /**
   * CEL's message without its picture of the source (a copy of the line and a caret under the
   * column): a log line is one line, and the message names the line and column already.
   */
  static String oneLine(String message) {
    return message == null
        ? ""
        : String.join(
            "; ", message.lines().map(String::strip).filter(l -> !l.startsWith("|")).toList());
  }
}
