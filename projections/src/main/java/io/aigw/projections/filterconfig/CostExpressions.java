package io.aigw.projections.filterconfig;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks CEL cost expressions the way the ExtProc will run them: compiled against the cost
 * variables, the result type int or uint, and a trial evaluation with sample values that must give
 * a non-negative number. The verdict of each distinct expression is cached; it depends on the text
 * alone, so the cache never changes a result.
 */
public class CostExpressions {

  private static final int CACHE_LIMIT = 10_000;
  private static final UnsignedLong ONE = UnsignedLong.ONE;
  private static final Map<String, Object> SAMPLE =
      Map.ofEntries(
          Map.entry("model", "model"),
          Map.entry("backend", "backend"),
          Map.entry("route_name", "namespace/route"),
          Map.entry("input_tokens", ONE),
          Map.entry("cached_input_tokens", ONE),
          Map.entry("cache_creation_input_tokens", ONE),
          Map.entry("output_tokens", ONE),
          Map.entry("total_tokens", ONE),
          Map.entry("reasoning_tokens", ONE));

  private final Map<String, Optional<String>> verdicts = new ConcurrentHashMap<>();
  private volatile CelCompiler compiler;
  private volatile CelRuntime runtime;

  /** Why {@code expression} cannot be used as a cost, or empty when it can. */
  public Optional<String> problem(String expression) {
    Optional<String> known = verdicts.get(expression);
    if (known != null) {
      return known;
    }
    Optional<String> verdict = check(expression);
    if (verdicts.size() >= CACHE_LIMIT) {
      verdicts.clear();
    }
    verdicts.put(expression, verdict);
    return verdict;
  }

  private Optional<String> check(String expression) {
    CelValidationResult result = compiler().compile(expression);
    if (result.hasError()) {
      return Optional.of("does not compile: " + firstLine(result.getErrorString()));
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (dev.cel.common.CelValidationException e) {
      return Optional.of("does not compile: " + firstLine(e.getMessage()));
    }
    CelKind kind = ast.getResultType().kind();
    if (kind != CelKind.INT && kind != CelKind.UINT && kind != CelKind.DYN) {
      return Optional.of("must return int or uint, not " + ast.getResultType().name());
    }
    try {
      Object value = runtime().createProgram(ast).eval(SAMPLE);
      if (value instanceof Long number && number < 0) {
        return Optional.of("returned a negative number (" + number + ") for sample usage");
      }
      if (!(value instanceof Long) && !(value instanceof UnsignedLong)) {
        return Optional.of("must return int or uint, returned " + value);
      }
      return Optional.empty();
    } catch (CelEvaluationException e) {
      return Optional.of("fails to evaluate: " + firstLine(e.getMessage()));
    }
  }

  private CelCompiler compiler() {
    CelCompiler current = compiler;
    if (current == null) {
      current =
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
      compiler = current;
    }
    return current;
  }

  private CelRuntime runtime() {
    CelRuntime current = runtime;
    if (current == null) {
      current = CelRuntimeFactory.standardCelRuntimeBuilder().build();
      runtime = current;
    }
    return current;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }
}
