package io.aigw.deploy.install;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRDs' {@code x-kubernetes-validations} rules, compiled and run with cel-java. {@code self} is
 * the (defaulted) node the rule is declared on, as the API server binds it; absent and null fields
 * are both absent to {@code has()}. A rule that fails to evaluate (a field of the wrong type, a key
 * a required-field error already reports) counts as holding, as the structural errors say why.
 */
final class CelRules {

  private final CelCompiler compiler =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** Compiles {@code rule}; throws with the compiler's message when it is not valid CEL. */
  CelRuntime.Program compile(String rule) {
    return programs.computeIfAbsent(
        rule,
        text -> {
          try {
            CelAbstractSyntaxTree ast = compiler.compile(text).getAst();
            return runtime.createProgram(ast);
          } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException(
                "invalid CEL rule " + text + ": " + e.getMessage(), e);
          }
        });
  }

  boolean holds(String rule, JsonNode self) {
    try {
      Object result = compile(rule).eval(Map.of("self", value(self)));
      return !Boolean.FALSE.equals(result);
    } catch (CelEvaluationException e) {
      return true;
    }
  }

  static Object value(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull()) {
          map.put(field.getKey(), value(field.getValue()));
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(value(item)));
      return list;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    // a null list item: CEL has null too
    return com.google.protobuf.NullValue.NULL_VALUE;
  }
}
