package io.aigw.deploy.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kustomize base under {@code deploy/kubernetes/base}, parsed document by document. */
final class InstallManifests {

  /** One object of the base and the file it is in. */
  record Manifest(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }
  }

  private InstallManifests() {}

  static Path root() {
    return Path.of(System.getProperty("aigw.root", "..")).toAbsolutePath().normalize();
  }

  static Path base() {
    return root().resolve("deploy/kubernetes/base");
  }

  static JsonNode kustomization() throws IOException, YamlDocuments.YamlSyntaxException {
    return single(base().resolve("kustomization.yaml"));
  }

  /** Every document of every resource the kustomization lists, in its order. */
  static List<Manifest> all() throws IOException, YamlDocuments.YamlSyntaxException {
    List<Manifest> manifests = new ArrayList<>();
    for (JsonNode resource : kustomization().path("resources")) {
      Path file = base().resolve(resource.asText());
      for (YamlDocuments.Document document : YamlDocuments.parse(Files.readString(file))) {
        manifests.add(new Manifest(file, document.node()));
      }
    }
    return List.copyOf(manifests);
  }

  static Manifest one(String kind, String name)
      throws IOException, YamlDocuments.YamlSyntaxException {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static Optional<Manifest> find(String kind, String name)
      throws IOException, YamlDocuments.YamlSyntaxException {
    return all().stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst();
  }

  static List<Manifest> ofKind(String kind) throws IOException, YamlDocuments.YamlSyntaxException {
    return all().stream().filter(m -> m.kind().equals(kind)).toList();
  }

  static JsonNode single(Path file) throws IOException, YamlDocuments.YamlSyntaxException {
    List<YamlDocuments.Document> documents = YamlDocuments.parse(Files.readString(file));
    if (documents.size() != 1) {
      throw new AssertionError(file + ": expected one document, found " + documents.size());
    }
    return documents.get(0).node();
  }

  /** The {@code openAPIV3Schema} of one version of a CRD. */
  static JsonNode schema(JsonNode crd, String version) {
    for (JsonNode served : crd.path("spec").path("versions")) {
      if (served.path("name").asText().equals(version)) {
        return served.path("schema").path("openAPIV3Schema");
      }
    }
    throw new AssertionError(crd.path("metadata").path("name") + " has no version " + version);
  }
}
