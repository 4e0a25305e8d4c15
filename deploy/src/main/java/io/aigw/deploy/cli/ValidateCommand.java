package io.aigw.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments.Document;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.SecretLike;
import io.aigw.core.model.validation.AiResourceValidator;
import io.aigw.core.model.validation.Violation;
import io.aigw.deploy.manifest.ManifestFiles;
import io.aigw.deploy.manifest.ManifestFiles.Parsed;
import io.aigw.deploy.manifest.ManifestFiles.Unreadable;
import io.aigw.watchers.secret.SecretDigester;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigw validate}: what a cluster with the CRDs would admit, checked offline. References to
 * other objects are not checked (the API server does not check them either).
 */
@Command(
    name = "validate",
    description =
        "Check every AI Gateway object against the CRD schema and CEL rules; exit 1 on any"
            + " violation, one line per violation.")
public final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "YAML files or directories")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int objects = 0;
    int violations = 0;
    int unread = 0;
    for (Path file : ManifestFiles.expand(paths)) {
      ManifestFiles.Read read = ManifestFiles.read(file);
      if (read instanceof Unreadable bad) {
        err.printf("%s:%d: %s%n", bad.file(), bad.line(), bad.reason());
        violations++;
        continue;
      }
      for (Document document : ((Parsed) read).documents()) {
        List<Violation> found = AiResourceValidator.validate(document.node());
        if (AiResourceReader.aiKind(document.node()).isPresent()) {
          objects++;
        }
        JsonNode node = document.node();
        if (unreadKind(node)) {
          // a note, not a violation: the file is valid, and upstream's gateway would read it
          err.printf(
              "%s:%d: %s: not read by aigw, which serves AIGatewayRoute, AIServiceBackend,"
                  + " BackendSecurityPolicy, GatewayConfig and QuotaPolicy only%n",
              file, document.line(), describe(node));
          unread++;
        }
        if (node.has("apiVersion") != node.has("kind")) {
          // aigw run refuses the whole file, as kubectl does (a Helm Chart.yaml is such a file)
          err.printf(
              "%s:%d: %s is missing%n",
              file, document.line(), node.has("kind") ? "apiVersion" : "kind");
          violations++;
        }
        for (String secret : secretProblems(node)) {
          err.printf("%s:%d: %s%n", file, document.line(), secret);
          violations++;
        }
        for (Violation violation : found) {
          err.printf(
              "%s:%d: %s: %s%n", file, document.line(), describe(document.node()), violation);
        }
        violations += found.size();
      }
    }
    err.flush();
    out.printf(
        "%d AI Gateway objects checked, %d violations%s%n",
        objects, violations, unread == 0 ? "" : ", " + unread + " not read by aigw");
    out.flush();
    return violations == 0 ? 0 : 1;
  }

  /**
   * An object of the AI Gateway API group that aigw does not read (MCPRoute): without a word it
   * would seem to take effect.
   */
  private static boolean unreadKind(JsonNode node) {
    return node.path("apiVersion").asText("").startsWith("aigateway.envoyproxy.io/")
        && AiResourceReader.aiKind(node).isEmpty()
        && node.has("kind");
  }

  /** Secrets with a typo in the document, and in its items when it is a {@code v1 List}. */
  private static List<String> secretProblems(JsonNode node) {
    String apiVersion = node.path("apiVersion").asText("");
    String kind = node.path("kind").asText("");
    if (SecretLike.isList(apiVersion, kind)) {
      List<String> problems = new java.util.ArrayList<>();
      for (JsonNode item : node.path("items")) {
        problems.addAll(secretProblems(SecretLike.listItem(apiVersion, kind, item)));
      }
      return problems;
    }
    return SecretDigester.shapeProblem(apiVersion, kind, node).stream().toList();
  }

  static String describe(JsonNode object) {
    String namespace = object.path("metadata").path("namespace").asText("default");
    return object.path("kind").asText("?")
        + " "
        + (namespace.isEmpty() ? "default" : namespace)
        + "/"
        + object.path("metadata").path("name").asText("?");
  }
}
