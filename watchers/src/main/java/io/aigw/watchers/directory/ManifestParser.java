package io.aigw.watchers.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.codec.YamlDocuments.Document;
import io.aigw.core.codec.YamlDocuments.YamlSyntaxException;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.SecretLike;
import io.aigw.watchers.secret.DigestedSecret;
import io.aigw.watchers.secret.SecretDigester;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one manifest file the way {@code kubectl apply -f} would take it: every document is an
 * object, a {@code v1 List} contributes its items, and the file is taken whole or not at all. A
 * document without {@code apiVersion} and without {@code kind} is not a Kubernetes object (Helm
 * values files sit next to manifests in many repositories) and is skipped rather than rejected.
 */
final class ManifestParser {

  private static final String DEFAULT_NAMESPACE = "default";

  /** Fields a server sets on write: whatever a file says about them is not taken. */
  private static final List<String> SERVER_METADATA =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "managedFields",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "selfLink");

  private ManifestParser() {}

  /** Thrown for a document that cannot be taken; {@code line} is where it starts. */
  private static final class Rejected extends Exception {
    private final int line;

    Rejected(int line, String reason) {
      super(reason, null, false, false);
      this.line = line;
    }
  }

  static ParsedFile parse(byte[] content) {
    List<Document> documents;
    try {
      documents = YamlDocuments.parse(new String(content, StandardCharsets.UTF_8));
    } catch (YamlSyntaxException e) {
      return new ParsedFile.Failure(e.line(), "YAML syntax: " + e.getMessage());
    }
    List<Manifest> manifests = new ArrayList<>();
    int skipped = 0;
    try {
      for (Document document : documents) {
        skipped += read(document.node(), document.line(), manifests);
      }
    } catch (Rejected e) {
      return new ParsedFile.Failure(e.line, e.getMessage());
    }
    return new ParsedFile.Objects(manifests, skipped);
  }

  /** Adds the objects of one document; returns 1 when it was skipped as not an object. */
  private static int read(JsonNode node, int line, List<Manifest> into) throws Rejected {
    if (!(node instanceof ObjectNode object)) {
      throw new Rejected(line, "the document is not a mapping (found " + describe(node) + ")");
    }
    if (!object.has("apiVersion") && !object.has("kind")) {
      return 1;
    }
    String apiVersion = requiredText(object, "apiVersion", line);
    String kind = requiredText(object, "kind", line);
    if (SecretLike.isList(apiVersion, kind)) {
      int index = 0;
      for (JsonNode listed : object.path("items")) {
        JsonNode item = SecretLike.listItem(apiVersion, kind, listed);
        if (item.isObject() && !item.has("apiVersion") && !item.has("kind")) {
          // skipped as "not an object", it would be lost without a word
          throw new Rejected(
              line,
              kind
                  + " items["
                  + index
                  + "]: apiVersion and kind are missing; the whole file is refused");
        }
        read(item, line, into);
        index++;
      }
      return 0;
    }
    into.add(manifest(object, apiVersion, kind, line));
    return 0;
  }

  private static Manifest manifest(ObjectNode raw, String apiVersion, String kind, int line)
      throws Rejected {
    checkSecretShape(raw, apiVersion, kind, line);
    if (!(raw.get("metadata") instanceof ObjectNode rawMetadata)) {
      throw new Rejected(line, kind + ": metadata.name is missing");
    }
    String name = requiredText(rawMetadata, "name", line, kind + ": metadata.name");
    String group = ObjectKey.groupOf(apiVersion);
    String namespace = namespaceOf(rawMetadata, group, kind, line);
    ObjectKey key = new ObjectKey(group, kind, namespace, name);

    ObjectNode object = raw.deepCopy();
    object.remove("status");
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    metadata.remove(SERVER_METADATA);
    if (namespace.isEmpty()) {
      metadata.remove("namespace");
    } else {
      metadata.put("namespace", namespace);
    }
    metadata.put("uid", ObjectUid.of(key));
    if (!SecretLike.isSecret(apiVersion, kind)) {
      return new Manifest(key, apiVersion, line, object, Map.of());
    }
    try {
      DigestedSecret secret = SecretDigester.digest(object);
      return new Manifest(key, apiVersion, line, secret.recorded(), secret.values());
    } catch (IllegalArgumentException e) {
      throw new Rejected(line, key + ": " + e.getMessage());
    }
  }

  /**
   * Refuses a Secret with a typo, naming the field, never its value: taken as it stands it would be
   * recorded as any other object, its values in clear in the log for good.
   */
  private static void checkSecretShape(ObjectNode raw, String apiVersion, String kind, int line)
      throws Rejected {
    Optional<String> problem = SecretDigester.shapeProblem(apiVersion, kind, raw);
    if (problem.isPresent()) {
      throw new Rejected(line, problem.get() + "; the whole file is refused");
    }
  }

  private static String namespaceOf(ObjectNode metadata, String group, String kind, int line)
      throws Rejected {
    if (ClusterScopedKinds.isClusterScoped(group, kind)) {
      return "";
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace == null || namespace.isNull() || "".equals(namespace.asText())) {
      return DEFAULT_NAMESPACE;
    }
    if (!namespace.isTextual()) {
      throw new Rejected(line, kind + ": metadata.namespace must be a string");
    }
    return namespace.textValue();
  }

  private static String requiredText(ObjectNode object, String field, int line) throws Rejected {
    return requiredText(object, field, line, field);
  }

  private static String requiredText(ObjectNode object, String field, int line, String label)
      throws Rejected {
    JsonNode value = object.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank())) {
      throw new Rejected(line, label + " is missing");
    }
    if (!value.isTextual()) {
      throw new Rejected(line, label + " must be a string");
    }
    return value.textValue();
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    return node.isTextual() ? "a string" : "a " + node.getNodeType().name().toLowerCase();
  }
}
