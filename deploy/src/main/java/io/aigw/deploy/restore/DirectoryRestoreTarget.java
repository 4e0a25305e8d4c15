package io.aigw.deploy.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.admin.api.RestoreException;
import io.aigw.admin.api.RestoreOutcome;
import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.api.RestoredObject;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.codec.YamlText;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.SecretLike;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The restore of {@code aigw run}: writes the object back into the directory the watcher reads, and
 * the watcher records it as the next entry, like any edit. The document that declares the object is
 * replaced in place (the rest of its file, comments included, stays byte for byte); an object no
 * file declares any more gets a file of its own, {@code restored-<kind>-<namespace>- <name>.yaml}.
 * Files are replaced atomically, so the watcher never sees half a file. Secrets are refused: the
 * log only has their digests.
 */
public final class DirectoryRestoreTarget implements RestoreTarget {

  /** Fields a source adds on recording; a manifest does not carry them. */
  private static final List<String> SOURCE_METADATA =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "managedFields",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "selfLink");

  private final Path directory;

  public DirectoryRestoreTarget(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  @Override
  public RestoreOutcome restore(RestoredObject restored) throws RestoreException {
    ObjectKey key = restored.key();
    if (key.group().isEmpty() && "Secret".equals(key.kind())) {
      throw new RestoreException(
          RestoreException.Reason.NOT_RESTORABLE,
          "a Secret cannot be restored: the log holds a digest of each value, never the value");
    }
    ObjectNode manifest = manifest(restored.object());
    try {
      List<Path> broken = new ArrayList<>();
      for (Path file : manifests()) {
        Optional<RestoreOutcome> outcome = replaceIn(file, key, manifest, broken);
        if (outcome.isPresent()) {
          return outcome.get();
        }
      }
      if (!broken.isEmpty()) {
        // a file that does not parse may be the one declaring it: a new file would declare it
        // twice, and the fixed file would then lose to the restored one by path order
        throw new RestoreException(
            RestoreException.Reason.CONFLICT,
            "no file that parses declares "
                + key
                + ", and a document naming it does not parse in "
                + String.join(", ", broken.stream().map(this::relative).toList())
                + "; fix it first, since it may be the one declaring "
                + key);
      }
      Path file = directory.resolve(newFileName(key));
      write(file, YamlText.write(manifest));
      return new RestoreOutcome(
          true,
          "file " + relative(file),
          "no file declared " + key + " any more; wrote it to a new file");
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.FAILED, "writing the manifest failed: " + e.getMessage(), e);
    }
  }

  /** The object as a manifest: what the source added on recording removed. */
  static ObjectNode manifest(JsonNode recorded) {
    ObjectNode object = recorded.deepCopy();
    object.remove("status");
    if (object.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove(SOURCE_METADATA);
    }
    return object;
  }

  private List<Path> manifests() throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("the watched directory " + directory + " does not exist");
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(path -> !hidden(directory.relativize(path)))
          .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the document declaring {@code key} in {@code file}, if the file declares it. */
  private Optional<RestoreOutcome> replaceIn(
      Path file, ObjectKey key, ObjectNode manifest, List<Path> broken)
      throws IOException, RestoreException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      // not UTF-8: no document of it can be replaced in place, and it may declare the object
      if (containsName(Files.readAllBytes(file), key)) {
        throw new RestoreException(
            RestoreException.Reason.CONFLICT,
            relative(file)
                + " names "
                + key
                + " and is not UTF-8, so its document cannot be replaced in place; convert the file"
                + " to UTF-8 and restore again");
      }
      return Optional.empty();
    }
    List<String> chunks = ManifestChunks.split(text);
    for (int i = 0; i < chunks.size(); i++) {
      String chunk = chunks.get(i);
      if (ManifestChunks.isSeparator(chunk)) {
        continue;
      }
      Optional<JsonNode> node;
      try {
        node = parseOne(chunk);
      } catch (YamlDocuments.YamlSyntaxException e) {
        // only a document that names the object may be the one declaring it
        if (chunk.contains(key.name()) && !broken.contains(file)) {
          broken.add(file);
        }
        continue;
      }
      if (node.isEmpty()) {
        continue;
      }
      Optional<String> replaced = replacement(node.get(), key, manifest);
      if (replaced.isEmpty()) {
        continue;
      }
      String where = "file " + relative(file);
      if (replaced.get().equals(KEEP)) {
        return Optional.of(new RestoreOutcome(false, where, "the file already has that version"));
      }
      List<String> updated = new ArrayList<>(chunks);
      updated.set(i, ManifestChunks.leadingComments(chunk) + replaced.get());
      write(file, String.join("", updated));
      return Optional.of(new RestoreOutcome(true, where, "replaced its document in the file"));
    }
    return Optional.empty();
  }

  private static boolean containsName(byte[] content, ObjectKey key) {
    // decoded as the watcher decodes it: bytes that are not UTF-8 become U+FFFD, names stay
    return new String(content, StandardCharsets.UTF_8).contains(key.name());
  }

  private static final String KEEP = "";

  /**
   * The text that replaces a document declaring {@code key}, {@link #KEEP} when it already says the
   * same, empty when the document does not declare it.
   */
  private static Optional<String> replacement(JsonNode node, ObjectKey key, ObjectNode manifest) {
    if (declares(node, key)) {
      return Optional.of(same(node, manifest) ? KEEP : body(manifest));
    }
    if (SecretLike.isList(node.path("apiVersion").asText(), node.path("kind").asText())
        && node.get("items") instanceof ArrayNode items) {
      for (int i = 0; i < items.size(); i++) {
        if (declares(items.get(i), key)) {
          if (same(items.get(i), manifest)) {
            return Optional.of(KEEP);
          }
          ObjectNode list = node.deepCopy();
          ((ArrayNode) list.get("items")).set(i, manifest);
          return Optional.of(body(list));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean same(JsonNode declared, ObjectNode manifest) {
    ObjectNode normalized = manifest(declared);
    ObjectNode wanted = manifest.deepCopy();
    if (normalized.get("metadata") instanceof ObjectNode metadata && !metadata.has("namespace")) {
      if (wanted.get("metadata") instanceof ObjectNode wantedMetadata
          && "default".equals(wantedMetadata.path("namespace").asText())) {
        wantedMetadata.remove("namespace");
      }
    }
    return normalized.equals(wanted);
  }

  private static boolean declares(JsonNode node, ObjectKey key) {
    if (!(node instanceof ObjectNode object)) {
      return false;
    }
    JsonNode metadata = object.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    boolean namespaceMatches =
        key.namespace().isEmpty()
            || key.namespace().equals(namespace.isEmpty() ? "default" : namespace);
    return ObjectKey.groupOf(object.path("apiVersion").asText("")).equals(key.group())
        && key.kind().equals(object.path("kind").asText())
        && key.name().equals(metadata.path("name").asText())
        && namespaceMatches;
  }

  private static Optional<JsonNode> parseOne(String chunk)
      throws YamlDocuments.YamlSyntaxException {
    List<YamlDocuments.Document> documents = YamlDocuments.parse(chunk);
    return documents.size() == 1 ? Optional.of(documents.get(0).node()) : Optional.empty();
  }

  /** YAML text of one document without its {@code ---}: the separator stays the file's own. */
  private static String body(JsonNode node) {
    String text = YamlText.write(node);
    return text.startsWith("---\n") ? text.substring(4) : text;
  }

  static String newFileName(ObjectKey key) {
    String name =
        "restored-"
            + key.kind()
            + "-"
            + (key.namespace().isEmpty() ? "cluster" : key.namespace())
            + "-"
            + key.name();
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-") + ".yaml";
  }

  private void write(Path file, String text) throws IOException {
    Path temporary = file.resolveSibling(".aigw-restore-" + file.getFileName() + ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    try {
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String relative(Path file) {
    return directory.relativize(file).toString();
  }
}
